package dev.ota.tuf.repository;

import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.SuccinctRoles;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashBinsTest {

    /*
     * Expected bins computed independently of this code base, with Node 20's crypto module:
     *   node -e 'const c=require("crypto"); const h=c.createHash("sha256").update(PATH,"utf8").digest();
     *            const bin=Math.floor(h.readUInt32BE(0) / 2**(32-BITS));
     *            console.log(bin.toString(16).padStart(Math.ceil(BITS/4),"0"))'
     * sha256 first 4 bytes: "firmware/ecu-a/app-1.0.0.bin" 689d7619, "images/gateway.img" 1ddbd955,
     * "a" ca978112, "targets/ü-ñ.bin" ee3dda8f.
     */
    @Test
    void binOfAPathIsTheFirstBitLengthBitsOfItsSha256() {
        RepositoryState state = TestRepository.withBins("releases", 8).state();
        assertEquals("releases-68", state.roleFor("firmware/ecu-a/app-1.0.0.bin"));
        assertEquals("releases-1d", state.roleFor("images/gateway.img"));
        assertEquals("releases-ca", state.roleFor("a"));
        assertEquals("releases-ee", state.roleFor("targets/ü-ñ.bin"));
    }

    @Test
    void binNamesArePaddedToWholeHexDigitsOfTheBitLength() {
        assertEquals("releases-6", TestRepository.withBins("releases", 4).state().roleFor("firmware/ecu-a/app-1.0.0.bin"));
        assertEquals("releases-1", TestRepository.withBins("releases", 1).state().roleFor("a"));
        // 13 bits: 0x689d7619 >> 19 = 0xd13, written with ceil(13/4) = 4 digits.
        assertEquals("releases-0d13", TestRepository.withBins("releases", 13).state().roleFor("firmware/ecu-a/app-1.0.0.bin"));
    }

    @Test
    void binOfAPathDoesNotChangeAsTargetsArePublished() {
        TestRepository repo = TestRepository.withBins("releases", 8);
        RepositoryState before = repo.state();
        Publication p = Publisher.publish(before, java.util.List.of(
                TargetChange.add("images/gateway.img", TestRepository.file("gw")),
                TargetChange.add("a", TestRepository.file("a"))), repo.online(), repo.expiries, TestRepository.T0);
        assertEquals(before.roleFor("firmware/ecu-a/app-1.0.0.bin"), p.state().roleFor("firmware/ecu-a/app-1.0.0.bin"));
        assertTrue(p.state().delegated().get("releases-1d").metadata().targets().containsKey("images/gateway.img"));
        assertTrue(p.state().delegated().get("releases-ca").metadata().targets().containsKey("a"));
    }

    @Test
    void everyBinExistsEvenWhenEmptyAndSnapshotListsEachWithLengthAndHash() {
        TestRepository repo = TestRepository.withBins("releases", 8);
        RepositoryState state = repo.state();
        SuccinctRoles bins = state.targets().metadata().delegations().orElseThrow().succinctRoles().orElseThrow();
        assertEquals(256, bins.binCount());
        assertEquals(8, bins.bitLength());
        assertEquals("releases", bins.namePrefix());
        assertEquals(new HashSet<>(bins.allBinNames()), state.delegated().keySet());
        Snapshot snapshot = state.snapshot().metadata();
        assertEquals(257, snapshot.meta().size(), "targets.json plus 256 bins");
        for (String bin : bins.allBinNames()) {
            RoleFile<?> f = state.delegated().get(bin);
            assertTrue(f.metadata() instanceof dev.ota.tuf.metadata.Targets t && t.targets().isEmpty());
            assertEquals(1, f.version());
            MetaFile m = snapshot.metaFor(bin);
            assertNotNull(m, bin);
            assertEquals(1, m.version());
            assertEquals(f.bytes().length(), m.length().orElseThrow());
            assertEquals(f.bytes().sha256Hex(), m.hashes().get("sha256"));
        }
        // And the files a server stores: every bin under its consistent-snapshot name.
        Set<String> names = new HashSet<>();
        repo.created.files().forEach(f -> names.add(f.fileName()));
        assertTrue(names.contains("1.releases-00.json"));
        assertTrue(names.contains("1.releases-ff.json"));
        assertFalse(names.contains("1.releases-100.json"));
    }
}
