package dev.ota.tuf.repository;

import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.ota.tuf.repository.TestRepository.T0;
import static dev.ota.tuf.repository.TestRepository.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server publishes from a partial state (top-level roles plus the bins it changes): the files it signs must
 * be byte for byte those a publish from the complete state signs, or clients would see two repositories.
 */
class PartialStateTest {
    private static final String PATH = "firmware/ecu-a/app-1.0.0.bin"; // bin 68 with 8 bits (see HashBinsTest)
    private static final String BIN = "releases-68";

    private final TestRepository repo = TestRepository.withBins("releases", 8);

    private RepositoryState withSomeTargets() {
        return Publisher.publish(repo.state(), List.of(TargetChange.add("images/gateway.img", file("gw")),
                TargetChange.add("a", file("a")), TargetChange.add("firmware/other.bin", file("o"))),
                repo.online(), repo.expiries, T0).state();
    }

    private static RepositoryState partial(RepositoryState full, String... bins) {
        Map<String, Bytes> held = new java.util.HashMap<>();
        for (String b : bins) held.put(b, full.delegated().get(b).bytes());
        return RepositoryState.loadPartial(full.root().bytes(), full.targets().bytes(), held, full.snapshot().bytes(),
                full.timestamp().bytes());
    }

    @Test
    void publishFromAPartialStateSignsTheSameBytesAsFromTheCompleteState() {
        RepositoryState full = withSomeTargets();
        List<TargetChange> change = List.of(TargetChange.add(PATH, file("new")));
        Instant later = T0.plusSeconds(60);

        Publication fromFull = Publisher.publish(full, change, repo.online(), repo.expiries, later);
        Publication fromPartial = Publisher.publish(partial(full, BIN), change, repo.online(), repo.expiries, later);

        assertEquals(List.of(BIN, "snapshot", "timestamp"), fromPartial.changedRoles());
        assertEquals(fromFull.files(), fromPartial.files());
        assertFalse(fromPartial.state().complete());
        assertEquals(257, fromPartial.state().snapshot().metadata().meta().size(), "snapshot still lists every bin");
    }

    @Test
    void refreshOfAPartialStateResignsOnlyTheHeldRolesThatExpire() {
        RepositoryState full = withSomeTargets();
        Instant horizon = T0.plus(repo.expiries.delegated()).plusSeconds(1);

        Publication p = Publisher.refreshExpiring(partial(full, BIN, "releases-1d"), horizon, repo.online(),
                repo.expiries, T0.plusSeconds(60));

        assertEquals(List.of("releases-1d", BIN, "snapshot", "timestamp"), p.changedRoles());
    }

    @Test
    void aPartialStateRefusesToAnswerForABinItDoesNotHold() {
        RepositoryState p = partial(withSomeTargets(), BIN);

        assertThrows(IllegalStateException.class, () -> p.targetsRole("releases-1d"));
        assertThrows(IllegalStateException.class, () -> Publisher.publish(p,
                List.of(TargetChange.add("images/another.img", file("x"))), repo.online(), repo.expiries, T0));
        assertThrows(IllegalStateException.class, p::files);
        assertThrows(dev.ota.tuf.UnknownRoleException.class, () -> p.targetsRole("no-such-role"));
    }

    @Test
    void aPartialStateFindsTargetsInTheBinsItHolds() {
        RepositoryState full = withSomeTargets();
        RepositoryState p = partial(full, "releases-1d");

        TargetFile gw = p.target("images/gateway.img").orElseThrow();

        assertEquals(full.target("images/gateway.img").orElseThrow(), gw);
        assertTrue(p.delegated().size() == 1);
    }

    @Test
    void addingBinsToAPartialStateChecksThemAgainstSnapshot() {
        RepositoryState full = withSomeTargets();
        RepositoryState top = partial(full);
        byte[] tampered = full.delegated().get("releases-1d").bytes().toArray();
        int sig = new String(tampered, java.nio.charset.StandardCharsets.UTF_8).indexOf("\"sig\":\"") + 7;
        tampered[sig] = (byte) (tampered[sig] == '0' ? '1' : '0'); // still parses; no longer the listed bytes

        RepositoryState held = top.withDelegated(Map.of("releases-1d", full.delegated().get("releases-1d").bytes()));

        assertEquals(full.target("images/gateway.img"), held.target("images/gateway.img"));
        assertFalse(held.complete());
        assertThrows(InconsistentRepositoryException.class,
                () -> top.withDelegated(Map.of("releases-1d", Bytes.of(tampered))));
    }

    @Test
    void aPartialStateStillRefusesABinAtAVersionSnapshotDoesNotList() {
        RepositoryState full = withSomeTargets();
        RepositoryState next = Publisher.publish(full, List.of(TargetChange.add(PATH, file("n"))), repo.online(),
                repo.expiries, T0).state();

        assertThrows(InconsistentRepositoryException.class, () -> RepositoryState.loadPartial(next.root().bytes(),
                next.targets().bytes(), Map.of(BIN, full.delegated().get(BIN).bytes()), next.snapshot().bytes(),
                next.timestamp().bytes()));
    }
}
