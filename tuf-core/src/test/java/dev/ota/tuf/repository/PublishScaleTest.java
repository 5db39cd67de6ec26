package dev.ota.tuf.repository;

import dev.ota.tuf.metadata.TargetFile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ota.tuf.repository.TestRepository.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server publishes one target into a repository of 100,000: that must stay well under a second. */
class PublishScaleTest {
    private static final int TARGETS = 100_000;

    @Test
    void publishingOneTargetIntoHundredThousandResignsOneBinInUnderASecond() {
        TestRepository repo = TestRepository.withBins("releases", 8);
        List<TargetChange> bulk = new ArrayList<>(TARGETS);
        for (int i = 0; i < TARGETS; i++) {
            String hash = String.format("%064x", i);
            bulk.add(TargetChange.add("firmware/model-" + (i % 50) + "/image-" + i + ".bin",
                    new TargetFile(1_000_000 + i, Map.of("sha256", hash), Optional.empty(), Map.of())));
        }
        RepositoryState big = Publisher.publish(repo.state(), bulk, repo.online(), repo.expiries, T0).state();
        int listed = big.delegated().values().stream().mapToInt(f -> f.metadata().targets().size()).sum();
        assertEquals(TARGETS, listed);

        long[] nanos = new long[5];
        RepositoryState s = big;
        Publication p = null;
        for (int i = 0; i < nanos.length; i++) {
            TargetChange one = TargetChange.add("firmware/new/image-" + i + ".bin", TestRepository.file("new " + i));
            long start = System.nanoTime();
            p = Publisher.publish(s, List.of(one), repo.online(), repo.expiries, T0);
            nanos[i] = System.nanoTime() - start;
            String bin = s.roleFor(one.path());
            assertEquals(List.of(bin, "snapshot", "timestamp"), p.changedRoles());
            for (Map.Entry<String, RoleFile<dev.ota.tuf.metadata.Targets>> e : s.delegated().entrySet()) {
                if (!e.getKey().equals(bin)) assertSame(e.getValue(), p.state().delegated().get(e.getKey()));
            }
            s = p.state();
        }
        long firstMs = nanos[0] / 1_000_000;
        long lastMs = nanos[nanos.length - 1] / 1_000_000;
        System.out.printf("publish 1 target into %,d targets in 256 bins: first %d ms, fifth %d ms (bin ~%d bytes, snapshot %d bytes)%n",
                TARGETS, firstMs, lastMs, p.files().get(0).length(), p.files().get(1).length());
        for (long n : nanos) assertTrue(n < 1_000_000_000L, "a publish took " + n / 1_000_000 + " ms");
    }
}
