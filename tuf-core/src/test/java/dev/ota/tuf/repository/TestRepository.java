package dev.ota.tuf.repository;

import dev.ota.tuf.crypto.SignatureCheck;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.crypto.VerificationResult;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.RoleMetadata;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;

import java.time.Instant;
import java.util.Optional;

/**
 * A repository made for one test: fresh keys per role (one each, threshold 1, unless a test builds its own
 * config), a fixed clock, and helpers that check signatures the way a client does, over the stored bytes.
 */
final class TestRepository {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    final SigningKey rootKey = SigningKey.generate();
    final SigningKey targetsKey = SigningKey.generate();
    final SigningKey snapshotKey = SigningKey.generate();
    final SigningKey timestampKey = SigningKey.generate();
    final SigningKey onlineKey = SigningKey.generate();
    final Expiries expiries = Expiries.defaults();
    final RepositoryConfig config;
    final Publication created;

    private TestRepository(Delegation delegation) {
        config = new RepositoryConfig(RoleKeySet.of(rootKey), RoleKeySet.of(targetsKey), RoleKeySet.of(snapshotKey),
                RoleKeySet.of(timestampKey), RoleKeySet.of(onlineKey), delegation, expiries);
        created = Publisher.create(config, T0);
    }

    static TestRepository withBins(String prefix, int bitLength) {
        return new TestRepository(new Delegation.HashBins(prefix, bitLength));
    }

    static TestRepository withPathRole(String name, String... paths) {
        return new TestRepository(new Delegation.PathRole(name, java.util.List.of(paths), true));
    }

    RepositoryState state() {
        return created.state();
    }

    /** What the server holds online: no root or targets key. */
    Keyring online() {
        return Keyring.online(java.util.List.of(onlineKey), java.util.List.of(snapshotKey), java.util.List.of(timestampKey));
    }

    static TargetFile file(String content) {
        return TargetFile.describing(Bytes.utf8(content), Optional.empty());
    }

    /** Parses the stored bytes back, as a client receives them, and checks their signatures against {@code keys}. */
    static <T extends RoleMetadata> VerificationResult verifyStored(MetadataFile f, Class<T> type, RoleKeys keys) {
        Signed<T> parsed = Signed.parse(f.bytes().toArray(), type, f.fileName());
        return SignatureCheck.verify(f.role(), parsed, keys);
    }

    /** Keys and threshold of a delegated role as the state's top-level targets delegates it. */
    static RoleKeys delegatedKeys(RepositoryState state, String role) {
        Targets top = state.targets().metadata();
        return top.delegations().orElseThrow().keysFor(role).orElseThrow();
    }
}
