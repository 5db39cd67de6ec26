package dev.ota.ceremony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.Root;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProposalRequestsTest {
    private final SigningKey online = SigningKey.generate();
    private final SigningKey officer = SigningKey.generate(KeyType.ECDSA_P256);
    private final Root current = new Root("1.0.31", 1, Instant.parse("2031-01-01T00:00:00Z"), true,
            Map.of(online.keyId(), online.publicKey()),
            Map.of("root", new Role(List.of(online.keyId()), 1), "targets", new Role(List.of(online.keyId()), 1),
                    "snapshot", new Role(List.of(online.keyId()), 1), "timestamp", new Role(List.of(online.keyId()), 1)),
            Map.of());

    private static String pem(SigningKey k) {
        return "-----BEGIN PUBLIC KEY-----\\n" + Base64.getEncoder().encodeToString(k.jcaPublicKey().getEncoded())
                + "\\n-----END PUBLIC KEY-----";
    }

    private ProposalRequests.Proposal read(String json) {
        return ProposalRequests.proposal(json.getBytes(StandardCharsets.UTF_8), current);
    }

    @Test
    void readsKeptKeysByIdAndNewKeysAsPemWithTheirHolder() {
        ProposalRequests.Proposal p = read("{\"expires\":\"2032-01-01T00:00:00Z\",\"roles\":{\"root\":{\"threshold\":2,"
                + "\"keys\":[{\"keyid\":\"" + online.keyId() + "\"},{\"publicKey\":\"" + pem(officer) + "\",\"holder\":\"alice\"}]}}}");

        List<Key> keys = p.edit().roles().get("root").keys();
        assertEquals(List.of(online.keyId(), officer.keyId()), keys.stream().map(Key::keyId).toList());
        assertEquals(Map.of(officer.keyId(), "alice"), p.newHolders());
        assertEquals(Instant.parse("2032-01-01T00:00:00Z"), p.edit().expires().orElseThrow());
    }

    @Test
    void refusesByFieldNameWithoutQuotingKeyMaterial() {
        for (String bad : List.of("", "[]", "{\"roles\":{}}", "{\"roles\":{\"root\":{\"threshold\":0,\"keys\":[]}}}",
                "{\"roles\":{\"mirror\":{\"threshold\":1,\"keys\":[]}}}",
                "{\"roles\":{\"root\":{\"threshold\":1,\"keys\":[{\"keyid\":\"" + "a".repeat(64) + "\"}]}}}",
                "{\"roles\":{\"root\":{\"threshold\":1,\"keys\":[{\"publicKey\":\"-----BEGIN PUBLIC KEY-----\\nc2VjcmV0\\n-----END PUBLIC KEY-----\",\"holder\":\"a\"}]}}}",
                "{\"roles\":{\"root\":{\"threshold\":1,\"keys\":[{\"publicKey\":\"" + pem(officer) + "\",\"holder\":\"a b\"}]}}}",
                "{\"expires\":\"tomorrow\",\"roles\":{}}", "{\"extra\":1}")) {
            CeremonyFailure e = assertThrows(CeremonyFailure.class, () -> read(bad), bad);
            assertEquals("ceremony.invalid", e.code(), bad);
            assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
        }
    }

    @Test
    void readsADetachedSignatureInTufForm() {
        var s = ProposalRequests.signature(("{\"keyid\":\"" + officer.keyId() + "\",\"sig\":\"00ff\"}").getBytes());
        assertEquals(officer.keyId(), s.keyId());
        assertThrows(CeremonyFailure.class, () -> ProposalRequests.signature("{\"keyid\":\"x\",\"sig\":\"00\"}".getBytes()));
        assertThrows(CeremonyFailure.class, () -> ProposalRequests.signature(("{\"keyid\":\"" + officer.keyId()
                + "\",\"sig\":\"not hex\"}").getBytes()));
    }

    @Test
    void holdersRoundTripAsCanonicalJson() {
        Map<String, String> holders = Map.of(officer.keyId(), "alice", online.keyId(), RootCeremonies.SERVER);
        String json = ProposalRequests.holdersJson(holders);
        assertEquals(holders, ProposalRequests.holders(json));
        assertTrue(json.indexOf(officer.keyId()) >= 0);
    }

    @Test
    void aTargetsProposalTakesAnOptionalExpiryAndReasonAndNothingElse() {
        ProposalRequests.TargetsRequest r = ProposalRequests.targetsProposal(
                "{\"expires\":\"2032-01-01T00:00:00Z\",\"reason\":\"renewal\"}".getBytes(StandardCharsets.UTF_8));
        ProposalRequests.TargetsRequest empty = ProposalRequests.targetsProposal(new byte[0]);

        assertEquals(Instant.parse("2032-01-01T00:00:00Z"), r.expires().orElseThrow());
        assertEquals("renewal", r.reason().orElseThrow());
        assertTrue(empty.expires().isEmpty() && empty.reason().isEmpty());
        for (String bad : List.of("{\"expires\":\"tomorrow\"}", "{\"roles\":{}}", "{\"reason\":\"two\\nlines\"}", "[]")) {
            CeremonyFailure e = assertThrows(CeremonyFailure.class,
                    () -> ProposalRequests.targetsProposal(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertEquals("ceremony.invalid", e.code(), bad);
        }
    }

    @Test
    void anExpiryTufMetadataCouldNotWriteIsRefusedBeforeAnythingIsStored() {
        // Instant.parse takes these, but TUF's four-digit-year times could not be read back from the stored proposal.
        for (String expires : List.of("+10000-01-01T00:00:00Z", "2032-01-01T00:00:00.5Z", "2032-01-01T00:00Z")) {
            String body = "{\"expires\":\"" + expires + "\"}";
            CeremonyFailure e = assertThrows(CeremonyFailure.class,
                    () -> ProposalRequests.targetsProposal(body.getBytes(StandardCharsets.UTF_8)), body);
            assertEquals("ceremony.invalid", e.code(), body);
        }
    }
}
