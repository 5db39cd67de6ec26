package dev.ota.tuf.crypto;

import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Root chains written by other implementations (see the README beside the files): each new root is signed by a
 * threshold of the previous root's root keys and of its own, as TUF 5.3.4 requires of a client.
 */
class RealRootChainTest {

    private static Signed<Root> root(String repository, int version) {
        String name = "/real-repositories/" + repository + "/metadata/" + version + ".root.json";
        try (InputStream in = RealRootChainTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return Signed.parse(in.readAllBytes(), Root.class, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static VerificationResult check(Signed<Root> trusted, Signed<Root> candidate) {
        return SignatureCheck.verify("root", candidate, RoleKeys.ofTopLevel(trusted.signed(), "root"));
    }

    @ParameterizedTest(name = "{0}.root.json -> {0}+1")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
    void sigstoreRootIsSignedByThresholdOfPreviousAndOwnRootKeys(int n) {
        Signed<Root> previous = root("sigstore-root-signing", n);
        Signed<Root> next = root("sigstore-root-signing", n + 1);
        assertEquals(n + 1, next.signed().version());
        VerificationResult byPrevious = check(previous, next);
        VerificationResult byItself = check(next, next);
        assertTrue(byPrevious.thresholdMet(), () -> "by root " + n + ": " + byPrevious);
        assertTrue(byItself.thresholdMet(), () -> "by itself: " + byItself);
    }

    @Test
    void firstSigstoreRootIsSignedByThresholdOfItsOwnHexEncodedKeys() {
        Signed<Root> first = root("sigstore-root-signing", 1);
        assertEquals("ecdsa-sha2-nistp256", first.signed().keys().values().iterator().next().keyType());
        // All five hardware keys signed root 1.
        assertEquals(5, check(first, first).validKeyIds().size());
    }

    @Test
    void sigstoreRootSignaturesDoNotVerifyOverAnotherRootsBytes() {
        Signed<Root> four = root("sigstore-root-signing", 4);
        Signed<Root> five = root("sigstore-root-signing", 5);
        Signed<Root> swapped = new Signed<>(five.signed(), five.signatures(), four.signedBytes(), Map.of());
        VerificationResult result = check(four, swapped);
        assertFalse(result.thresholdMet());
        assertEquals(0, result.validKeyIds().size());
    }

    @Test
    void sigstoreRootWithEmptySignaturesCountsOnlyTheRealOnes() {
        Signed<Root> twelve = root("sigstore-root-signing", 12);
        assertEquals(3, check(twelve, twelve).validKeyIds().size(), "two of five signatures in 12.root.json are empty");
    }

    @Test
    void sigstoreRootIsNotAcceptedWithKeysOfARootTwoRotationsEarlier() {
        // Skipping versions is not allowed: root 9 carries no signature under any of root 4's root key ids.
        Signed<Root> four = root("sigstore-root-signing", 4);
        assertFalse(check(four, root("sigstore-root-signing", 9)).thresholdMet());
    }

    @Test
    void tufOnCiRootIsSignedByThresholdOfItsOwnKeys() {
        Signed<Root> root = root("tuf-on-ci-0.11", 1);
        VerificationResult result = check(root, root);
        assertTrue(result.thresholdMet(), result::toString);
        assertEquals(List.of("aa61e09f6af7662ac686cf0c6364079f63d3e7a86836684eeced93eace3acd81"),
                List.copyOf(result.validKeyIds()));
    }
}
