package dev.ota.expiry;

import dev.ota.error.ErrorKind;
import dev.ota.keys.KeyCustodyException;
import dev.ota.keys.OnlineKeys;
import dev.ota.publishing.RepositoryBootstrap;
import dev.ota.publishing.RoleExpiry;
import dev.ota.release.Release;
import dev.ota.repository.RepositoryFailure;
import dev.ota.repository.Settings;
import dev.ota.serving.ParsedMetadata;
import dev.ota.serving.RepositoryHead;
import dev.ota.serving.StoredMetadata;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.SuccinctRoles;
import dev.ota.tuf.repository.Keyring;
import dev.ota.tuf.repository.RepositoryState;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Reads what the repository is now: roles, versions, expiries and key ids, for the status API, the portal
 * and the expiry watch. Apart from the publisher on purpose: the publisher is one lock per server, and a
 * status read must answer at once, also while a publish or a bulk import of 100,000 targets holds it. It
 * reads the head without locking it and the rows it names, which no publish ever changes.
 */
@Stateless
@PermitAll
public class RepositoryReader {
    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private OnlineKeys keys;

    @Inject
    private ParsedMetadata parsed;

    @Inject
    private Clock clock;

    private StoredMetadata stored;

    @PostConstruct
    void readThroughTheParseCache() {
        stored = new StoredMetadata(em, parsed);
    }

    /** The repository's roles, versions, expiries and key ids. */
    public RepositoryStatus status() {
        RepositoryHead head = em.find(RepositoryHead.class, RepositoryHead.SINGLETON_ID);
        if (head == null) {
            throw new RepositoryFailure("repository.absent", ErrorKind.UNAVAILABLE, "the repository is not bootstrapped");
        }
        RepositoryState state = stored.topLevel(head);
        Root root = state.root().metadata();
        SuccinctRoles bins = state.targets().metadata().delegations().orElseThrow().succinctRoles().orElseThrow();
        Instant now = clock.instant();
        ExpiryReport report = ExpiryReport.assess(servedRoles(state), now, null, now,
                Settings.refreshCheckInterval().multipliedBy(2));
        List<RepositoryStatus.RoleStatus> roles = new java.util.ArrayList<>();
        for (ExpiryReport.Condition c : report.roles()) {
            RoleExpiry r = c.role();
            Role signers = Root.TOP_LEVEL_ROLES.contains(r.role()) ? root.role(r.role())
                    : new Role(bins.keyIds(), bins.threshold());
            roles.add(new RepositoryStatus.RoleStatus(r.role(), r.version(), r.expires(), signers.keyIds(),
                    signers.threshold(), r.serverCanResign(), c.condition(), c.warning(), c.signBy(),
                    c.signBy() == null ? null : r.signers()));
        }
        // Every listed target is a release that was not removed (uploads and removals are the only
        // changes), so the count comes from the release table instead of parsing every bin.
        long listed = em.createNamedQuery(Release.LISTED_COUNT, Long.class).getSingleResult();
        return new RepositoryStatus(roles, (int) bins.binCount(), Math.toIntExact(listed), report.warnings());
    }

    /**
     * Every served role's version and expiry, and whether this server can re-sign it: what a server that
     * did not run the re-signing job itself tells its {@link ExpiryWatch}. Empty before the bootstrap.
     */
    public List<RoleExpiry> servedRoles() {
        RepositoryHead head = em.find(RepositoryHead.class, RepositoryHead.SINGLETON_ID);
        return head == null ? List.of() : servedRoles(stored.topLevel(head));
    }

    private List<RoleExpiry> servedRoles(RepositoryState state) {
        Keyring held;
        try {
            held = keys.forRefresh(RepositoryBootstrap.RELEASES_ROLE);
        } catch (KeyCustodyException e) {
            // No usable keystore: this server re-signs nothing, which is exactly what the status must show.
            held = new Keyring(List.of(), List.of(), List.of(), List.of(), List.of());
        }
        return RoleExpiry.of(state, stored.binExpiries(state), held, Settings.expiries());
    }
}
