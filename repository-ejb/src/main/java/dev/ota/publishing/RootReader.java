package dev.ota.publishing;

import dev.ota.error.ErrorKind;
import dev.ota.keys.OnlineKeys;
import dev.ota.repository.RepositoryFailure;
import dev.ota.serving.ParsedMetadata;
import dev.ota.serving.RepositoryHead;
import dev.ota.serving.StoredMetadata;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.repository.Keyring;
import dev.ota.tuf.repository.RepositoryState;
import dev.ota.tuf.repository.RoleFile;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads of the served root and top-level targets and of the keys this server holds, for the ceremonies. Apart from
 * {@link RepositoryPublisher} on purpose: a reader there would wait for the publisher's lock, and a caller that
 * reads after it published (or after it recorded an audit entry) would then hold the head row, or the audit
 * chain, while waiting for a refresh that holds the publisher's lock and waits for them: on PostgreSQL, for ever.
 * These reads take no lock.
 */
@Stateless
@PermitAll
public class RootReader {
    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private OnlineKeys keys;

    @Inject
    private ParsedMetadata parsed;

    /** The root the repository serves now, exactly as stored. */
    public RoleFile<Root> currentRoot() {
        return top().root();
    }

    /** Root version {@code version} as stored (every root version stays published). */
    public RoleFile<Root> storedRoot(int version) {
        return RoleFile.parse("root", new StoredMetadata(em, parsed).content("root", version), Root.class);
    }

    /** The top-level targets the repository serves now, exactly as stored. */
    public RoleFile<Targets> currentTargets() {
        return top().targets();
    }

    /** Top-level targets version {@code version} as stored. */
    public RoleFile<Targets> storedTargets(int version) {
        return RoleFile.parse("targets", new StoredMetadata(em, parsed).content("targets", version), Targets.class);
    }

    /**
     * Whether this server's online keys could sign {@code role} were {@code root} the served root: what a ceremony
     * checks before it proposes new keys for targets, snapshot or timestamp, so that no publish leaves the
     * repository unable to sign its next timestamp.
     */
    public boolean canSignUnder(Root root, String role) {
        RepositoryState top = top();
        RepositoryState under = new RepositoryState(RoleFile.of("root", Signed.of(root, List.of())), top.targets(),
                top.delegated(), top.snapshot(), top.timestamp(), top.complete());
        return held().canSign(under, role);
    }

    /** The ids of every key this server's keystore holds, any role. */
    public Set<String> onlineKeyIds() {
        Keyring k = held();
        Set<String> ids = new HashSet<>();
        for (List<SigningKey> list : List.of(k.root(), k.targets(), k.snapshot(), k.timestamp(), k.delegated())) {
            list.forEach(x -> ids.add(x.keyId()));
        }
        return ids;
    }

    /** The root keys this server's keystore holds. */
    public List<SigningKey> onlineRootKeys() {
        return held().root();
    }

    private Keyring held() {
        return keys.forRefresh(RepositoryBootstrap.RELEASES_ROLE);
    }

    private RepositoryState top() {
        RepositoryHead head = em.find(RepositoryHead.class, RepositoryHead.SINGLETON_ID);
        if (head == null) {
            throw new RepositoryFailure("repository.absent", ErrorKind.UNAVAILABLE, "the repository is not bootstrapped");
        }
        return new StoredMetadata(em, parsed).topLevel(head);
    }
}
