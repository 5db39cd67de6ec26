package dev.ota.fleet;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Saved filters (groups): named {@link DeviceFilter}s that assignments and rollouts will target. Created,
 * replaced and deleted by administrators (each change and each refusal audited); read by the roles that read
 * the inventory.
 */
@Stateless
public class SavedFilters {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Far above what a person keeps; a bound so the list stays one page. */
    static final int MAX_FILTERS = 1000;

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private AuditLog audit;

    @EJB
    private Inventory inventory;

    @jakarta.inject.Inject
    private Clock clock;

    @Resource
    private SessionContext context;

    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    public List<SavedFilterView> list() {
        return em.createQuery("SELECT f FROM SavedFilter f ORDER BY f.name", SavedFilter.class)
                .setMaxResults(MAX_FILTERS).getResultList().stream().map(SavedFilter::view).toList();
    }

    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    public SavedFilterView get(String name) {
        return find(name).view();
    }

    /** The devices the saved filter matches now, a keyset page at a time. */
    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    public DevicePage devices(String name, String after, int limit, boolean count) {
        return inventory.page(find(name).filter(), after, limit, count);
    }

    /** Saves a new filter under {@code name}; 409 when the name is taken. */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public SavedFilterView create(String name, JsonValue filterJson) {
        String actor = context.getCallerPrincipal().getName();
        try {
            checkName(name);
            DeviceFilter filter = readFilter(filterJson);
            if (em.find(SavedFilter.class, name) != null) {
                throw new OtaException("filter.exists", ErrorKind.CONFLICT, "a filter named " + name + " exists");
            }
            SavedFilter saved = new SavedFilter(name, filter, actor, clock.instant());
            em.persist(saved);
            em.flush();
            audit.record(actor, "filter.create", name, Outcome.SUCCESS, CanonicalJson.encodeToString(filter.toJson()));
            return saved.view();
        } catch (OtaException e) {
            refused(actor, "filter.create", name, e);
            throw e;
        }
    }

    /** Replaces the filter saved under {@code name}; 404 when there is none. */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public SavedFilterView replace(String name, JsonValue filterJson) {
        String actor = context.getCallerPrincipal().getName();
        try {
            checkName(name);
            DeviceFilter filter = readFilter(filterJson);
            SavedFilter saved = find(name);
            saved.change(filter, actor, clock.instant());
            em.flush();
            audit.record(actor, "filter.replace", name, Outcome.SUCCESS, CanonicalJson.encodeToString(filter.toJson()));
            return saved.view();
        } catch (OtaException e) {
            refused(actor, "filter.replace", name, e);
            throw e;
        }
    }

    @RolesAllowed(Roles.ADMINISTRATOR)
    public void delete(String name) {
        String actor = context.getCallerPrincipal().getName();
        try {
            SavedFilter saved = find(name);
            em.remove(saved);
            em.flush();
            audit.record(actor, "filter.delete", name, Outcome.SUCCESS, "");
        } catch (OtaException e) {
            refused(actor, "filter.delete", name, e);
            throw e;
        }
    }

    private static DeviceFilter readFilter(JsonValue json) {
        if (json == null) {
            throw new OtaException(DeviceFilter.CODE, ErrorKind.INVALID_INPUT,
                    "send {\"filter\": {...}} (an empty object matches every device)");
        }
        DeviceFilter filter = DeviceFilter.fromJson(json);
        if (CanonicalJson.encodeToString(filter.toJson()).length() > 8000) {
            throw new OtaException(DeviceFilter.CODE, ErrorKind.INVALID_INPUT, "the filter exceeds 8000 characters");
        }
        return filter;
    }

    private SavedFilter find(String name) {
        checkName(name);
        SavedFilter f = em.find(SavedFilter.class, name);
        if (f == null) {
            throw new OtaException("filter.unknown", ErrorKind.NOT_FOUND, "no saved filter named " + name);
        }
        return f;
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new OtaException("filter.name-invalid", ErrorKind.INVALID_INPUT, "a filter name is 1 to 64 "
                    + "characters of letters, digits and . _ - starting with a letter or digit");
        }
    }

    private void refused(String actor, String action, String name, OtaException e) {
        audit.recordAttempt(actor, action, name == null ? "(none)" : DeviceFilter.shown(name), Outcome.FAILED,
                DeviceFilter.shown(e.code() + ": " + e.getMessage(), 1500));
    }
}
