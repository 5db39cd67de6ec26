package dev.ota.portal;

import dev.ota.audit.AuditLog;
import dev.ota.error.OtaException;
import dev.ota.fleet.SavedFilterView;
import dev.ota.fleet.SavedFilters;
import dev.ota.release.ReleaseView;
import dev.ota.release.Releases;
import dev.ota.rollout.ErrorBudget;
import dev.ota.rollout.InvalidRollout;
import dev.ota.rollout.RolloutDefinition;
import dev.ota.rollout.WindowRule;
import dev.ota.rollouts.RolloutView;
import dev.ota.rollouts.Rollouts;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBAccessException;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import java.io.Serializable;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Backs {@code app/rollout-new.xhtml}, the rollout wizard: a release, a saved filter, the canary and waves, the
 * success threshold and soak, the error budget, the on-trip action and a maintenance window with a preview of its
 * next windows in a chosen time zone. Creating sends the management API's create body to the same
 * {@link Rollouts#create} the API calls: the same validation (refusals name the field), the same audit. The new
 * rollout is a DRAFT; its page submits it for approval. Release managers and administrators only: anyone else is
 * refused the page and the refusal audited.
 */
@Named
@ViewScoped
public class RolloutWizardView implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The newest releases offered; an older one is rolled out through the API. */
    private static final int RELEASES_LOOKED_AT = 500;

    @EJB
    private transient Rollouts rollouts;

    @EJB
    private transient Releases releases;

    @EJB
    private transient SavedFilters filters;

    @EJB
    private transient AuditLog audit;

    @Inject
    private transient SecurityContext security;

    @Inject
    private transient Clock clock;

    private List<String> releasePaths = List.of();
    private List<String> filterNames = List.of();
    private List<String> zones = List.of();
    private List<WindowPreview.Row> preview = List.of();
    private String previewShownIn;

    private String name;
    private String targetPath;
    private String filterName;
    private String canary = Integer.toString(RolloutDefinition.DEFAULT_CANARY);
    private String waves = RolloutDefinition.DEFAULT_WAVES.stream().map(String::valueOf)
            .collect(Collectors.joining(", "));
    private String successPct = Integer.toString(RolloutDefinition.DEFAULT_SUCCESS_PCT);
    private String soakMinutes = Long.toString(RolloutDefinition.DEFAULT_SOAK.toMinutes());
    private String minSample = Integer.toString(ErrorBudget.DEFAULT.minSample());
    private String errorPct = Integer.toString(ErrorBudget.DEFAULT.errorPct());
    private String maxFailed = Integer.toString(ErrorBudget.DEFAULT.maxFailed());
    private String onTrip = "PAUSE";
    private String rollbackPath;
    private String windowRule;
    private String windowStart = "02:00";
    private String windowMinutes = "120";
    private String windowZone = WindowRule.DEVICE_ZONE;
    private String previewZone = "UTC";

    public void load() {
        if (FacesContext.getCurrentInstance().isPostback()) {
            return;
        }
        if (!RolloutsView.mayCreate(security)) {
            PortalRefusals.forbid(audit, caller(), "creating rollouts");
            return;
        }
        releasePaths = releases.list(0, RELEASES_LOOKED_AT).stream().filter(r -> r.removedAt() == null)
                .map(ReleaseView::targetPath).toList();
        filterNames = filters.list().stream().map(SavedFilterView::name).toList();
        List<String> all = new ArrayList<>(ZoneId.getAvailableZoneIds());
        all.sort(null);
        zones = List.copyOf(all);
    }

    /** The next windows of the rule as typed, from the server's now, in {@link #previewZone}. */
    public void showPreview() {
        try {
            ZoneId shownIn = ZoneId.of(previewZone);
            preview = WindowPreview.of(input(null), shownIn, clock.instant());
            previewShownIn = shownIn.getId();
        } catch (InvalidRollout e) {
            preview = List.of();
            previewShownIn = null;
            message(FacesMessage.SEVERITY_ERROR, e.getMessage(), "rollout.invalid");
        } catch (java.time.DateTimeException e) {
            preview = List.of();
            previewShownIn = null;
            message(FacesMessage.SEVERITY_ERROR, "The preview time zone is not a known zone id.", null);
        }
    }

    /** Creates the DRAFT rollout through the service, then shows its page. */
    public String create() {
        try {
            var filter = filterName == null || filterName.isBlank() ? null : filters.get(filterName).filter().toJson();
            RolloutView created = rollouts.create(input(filter).body());
            FacesContext faces = FacesContext.getCurrentInstance();
            faces.getExternalContext().getFlash().setKeepMessages(true);
            message(FacesMessage.SEVERITY_INFO, "Created rollout '" + created.name() + "' as a draft over the saved "
                    + "filter " + filterName + "; submit it for another release manager's approval.", null);
            return "/app/rollout?faces-redirect=true&id=" + created.id();
        } catch (OtaException e) {
            message(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code());
        } catch (EJBAccessException e) {
            // Only a forged request gets here: the page itself is refused to other roles.
            PortalRefusals.forbid(audit, caller(), "creating rollouts");
        }
        return null;
    }

    private RolloutInput input(dev.ota.tuf.json.JsonValue.JsonObject filter) {
        return new RolloutInput(name, targetPath, filter, canary, waves, successPct, soakMinutes, minSample, errorPct,
                maxFailed, onTrip, rollbackPath, windowRule, windowStart, windowMinutes, windowZone);
    }

    private String caller() {
        return security.getCallerPrincipal() == null ? null : security.getCallerPrincipal().getName();
    }

    private static void message(FacesMessage.Severity severity, String text, String detail) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, detail));
    }

    public List<String> getReleasePaths() {
        return releasePaths;
    }

    public List<String> getFilterNames() {
        return filterNames;
    }

    public List<String> getZones() {
        return zones;
    }

    public List<WindowPreview.Row> getPreview() {
        return preview;
    }

    public String getPreviewShownIn() {
        return previewShownIn;
    }

    public boolean isRollback() {
        return "ROLLBACK".equals(onTrip);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getTargetPath() {
        return targetPath;
    }

    public void setTargetPath(String targetPath) {
        this.targetPath = targetPath;
    }

    public String getFilterName() {
        return filterName;
    }

    public void setFilterName(String filterName) {
        this.filterName = filterName;
    }

    public String getCanary() {
        return canary;
    }

    public void setCanary(String canary) {
        this.canary = canary;
    }

    public String getWaves() {
        return waves;
    }

    public void setWaves(String waves) {
        this.waves = waves;
    }

    public String getSuccessPct() {
        return successPct;
    }

    public void setSuccessPct(String successPct) {
        this.successPct = successPct;
    }

    public String getSoakMinutes() {
        return soakMinutes;
    }

    public void setSoakMinutes(String soakMinutes) {
        this.soakMinutes = soakMinutes;
    }

    public String getMinSample() {
        return minSample;
    }

    public void setMinSample(String minSample) {
        this.minSample = minSample;
    }

    public String getErrorPct() {
        return errorPct;
    }

    public void setErrorPct(String errorPct) {
        this.errorPct = errorPct;
    }

    public String getMaxFailed() {
        return maxFailed;
    }

    public void setMaxFailed(String maxFailed) {
        this.maxFailed = maxFailed;
    }

    public String getOnTrip() {
        return onTrip;
    }

    public void setOnTrip(String onTrip) {
        this.onTrip = onTrip;
    }

    public String getRollbackPath() {
        return rollbackPath;
    }

    public void setRollbackPath(String rollbackPath) {
        this.rollbackPath = rollbackPath;
    }

    public String getWindowRule() {
        return windowRule;
    }

    public void setWindowRule(String windowRule) {
        this.windowRule = windowRule;
    }

    public String getWindowStart() {
        return windowStart;
    }

    public void setWindowStart(String windowStart) {
        this.windowStart = windowStart;
    }

    public String getWindowMinutes() {
        return windowMinutes;
    }

    public void setWindowMinutes(String windowMinutes) {
        this.windowMinutes = windowMinutes;
    }

    public String getWindowZone() {
        return windowZone;
    }

    public void setWindowZone(String windowZone) {
        this.windowZone = windowZone;
    }

    public String getPreviewZone() {
        return previewZone;
    }

    public void setPreviewZone(String previewZone) {
        this.previewZone = previewZone;
    }
}
