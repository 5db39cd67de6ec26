package dev.ota.deviceapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class DirectorPollTest {
    @Test
    void aPollsAddressNamesTheDeviceWhoseIdHasOnlyTheContractsCharacters() {
        assertEquals("lock-0042", DirectorPoll.polledDevice("/director/lock-0042/metadata/timestamp.json", ""));
        assertEquals("A.b_c-9", DirectorPoll.polledDevice("/director/A.b_c-9/metadata/timestamp.json", ""));
        assertEquals("x".repeat(64), DirectorPoll.polledDevice("/director/" + "x".repeat(64) + "/metadata/timestamp.json", ""));
        assertEquals("lock-1", DirectorPoll.polledDevice("/api/director/lock-1/metadata/timestamp.json", "/api"));
    }

    /** JAX-RS answers these as before: other files, escaped or odd ids, path parameters, a longer id than the contract's. */
    @Test
    void everyOtherAddressIsLeftToJaxRs() {
        for (String uri : new String[] {"/director/lock-1/metadata/1.root.json", "/director/lock-1/metadata/3.targets.json",
                "/director/root/1.root.json", "/director/lock%2D1/metadata/timestamp.json",
                "/director/.hidden/metadata/timestamp.json", "/director/../metadata/timestamp.json",
                "/director//metadata/timestamp.json", "/director/metadata/timestamp.json",
                "/director/a/b/metadata/timestamp.json", "/director/lock-1;x=1/metadata/timestamp.json",
                "/director/lock-1/metadata/timestamp.json;x=1", "/director/lock-1/metadata/timestamp.jsonx",
                "/director/" + "x".repeat(65) + "/metadata/timestamp.json", "/director/lock-1/targets/config/lock-1.json",
                "/metadata/timestamp.json", "/director/"}) {
            assertNull(DirectorPoll.polledDevice(uri, ""), uri);
        }
        assertNull(DirectorPoll.polledDevice("/director/lock-1/metadata/timestamp.json", "/api"));
    }
}
