package dev.ota.portal;

import dev.ota.audit.AuditLog;
import dev.ota.error.OtaException;
import dev.ota.portal.RolloutProgress.Command;
import dev.ota.rollouts.RolloutView;
import dev.ota.rollouts.Rollouts;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBAccessException;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.security.enterprise.SecurityContext;
import org.primefaces.PrimeFaces;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Backs {@code app/rollout.xhtml?id=...}, one rollout live: its state, each wave's members, succeeded, failed and in
 * progress with a bar of them, the failures by class, refreshed by the page's poll without a reload; the definition
 * with the hash approval binds to; and the commands the state admits, for release managers and administrators only.
 * Approving is offered to them unless they created the rollout (four eyes; the service refuses the creator anyway),
 * and approves the hash this page showed: a definition that differs from it is refused, never approved unseen.
 * Auditors see everything and no command; a command they force anyway is refused by the service and audited.
 */
@Named
@ViewScoped
public class RolloutPageView implements Serializable {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient Rollouts rollouts;

    @EJB
    private transient AuditLog audit;

    @Inject
    private transient SecurityContext security;

    private String id;
    private RolloutView rollout;
    private String definitionJson = "";
    private List<RolloutProgress.Wave> waves = List.of();
    private List<RolloutProgress.Failures> failures = List.of();
    private List<Command> offered = List.of();
    private boolean mayControl;
    private boolean ownRollout;
    /** The hash the page showed when it last rendered the definition: what an approval here approves. */
    private String shownHash;

    public void load() {
        if (FacesContext.getCurrentInstance().isPostback()) {
            return;
        }
        if (!RolloutsView.mayRead(security)) {
            PortalRefusals.forbid(audit, caller(), "reading rollouts");
            return;
        }
        mayControl = RolloutsView.mayCreate(security);
        refresh();
    }

    /**
     * The poll's listener, and the end of every command: the rollout as the server has it now. On a poll only what
     * changed is re-rendered (the live part, the commands), so a button is not replaced under a person's pointer
     * every few seconds for nothing.
     */
    public void refresh() {
        if (id == null) {
            return;
        }
        RolloutView rolloutBefore = rollout;
        List<RolloutProgress.Failures> failuresBefore = failures;
        List<Command> offeredBefore = offered;
        try {
            show(rollouts.get(id));
            failures = RolloutProgress.failures(rollouts.failuresByClass(id));
        } catch (OtaException e) {
            rollout = null;
            message(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code());
        }
        if (FacesContext.getCurrentInstance().getPartialViewContext().isAjaxRequest()) {
            if (!Objects.equals(rolloutBefore, rollout) || !failuresBefore.equals(failures)) {
                PrimeFaces.current().ajax().update("live", "pollForm", "messages");
            }
            if (!offeredBefore.equals(offered)) {
                PrimeFaces.current().ajax().update("controlsForm");
            }
        }
    }

    private void show(RolloutView r) {
        rollout = r;
        waves = RolloutProgress.waves(r.waves());
        ownRollout = r.createdBy().equals(caller());
        offered = mayControl ? RolloutProgress.admitted(r.state()).stream()
                .filter(c -> c != Command.APPROVE || !ownRollout).toList() : List.of();
        if (!r.definitionHash().equals(shownHash)) {
            try (Jsonb jsonb = JsonbBuilder.create(new JsonbConfig().withFormatting(true))) {
                definitionJson = jsonb.toJson(r.definition());
            } catch (Exception e) {
                throw new IllegalStateException("JSON-B writes a map of plain values", e);
            }
            shownHash = r.definitionHash();
        }
    }

    public void submit() {
        command("rollout.submit", rollouts::submit, "Submitted for approval by another release manager.");
    }

    public void approve() {
        String hash = shownHash;
        command("rollout.approve", rid -> rollouts.approve(rid, hash), "Approved definition " + hash + ".");
    }

    public void start() {
        command("rollout.start", rollouts::start, "Started: the canary's devices are ordered.");
    }

    public void pause() {
        command("rollout.pause", rollouts::pause, "Paused: no further wave starts.");
    }

    public void resume() {
        command("rollout.resume", rollouts::resume, "Resumed.");
    }

    public void cancel() {
        command("rollout.cancel", rollouts::cancel, "Canceled.");
    }

    /**
     * One command through the service, which checks the role, decides on the stored state and audits; a refusal
     * becomes the page's message. A caller without the role never sees the buttons, so only a forged request gets
     * the 403 page (audited as auth.forbidden, like the management API's refusal).
     */
    private void command(String action, Consumer<String> call, String done) {
        if (id == null || rollout == null) {
            return;
        }
        try {
            call.accept(id);
            message(FacesMessage.SEVERITY_INFO, done, null);
        } catch (OtaException e) {
            message(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code());
        } catch (EJBAccessException e) {
            PortalRefusals.forbid(audit, caller(), action + " of " + id);
            return;
        }
        refresh();
    }

    private String caller() {
        return security.getCallerPrincipal() == null ? null : security.getCallerPrincipal().getName();
    }

    private static void message(FacesMessage.Severity severity, String text, String detail) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, detail));
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public RolloutView getRollout() {
        return rollout;
    }

    public String getDefinitionJson() {
        return definitionJson;
    }

    public String getShownHash() {
        return shownHash;
    }

    public List<RolloutProgress.Wave> getWaves() {
        return waves;
    }

    public List<RolloutProgress.Failures> getFailures() {
        return failures;
    }

    public boolean isMayControl() {
        return mayControl;
    }

    /** The creator of a rollout awaiting approval, told that someone else approves it. */
    public boolean isAwaitingOthersApproval() {
        return rollout != null && ownRollout && "AWAITING_APPROVAL".equals(rollout.state());
    }

    /** Whether the poll may stop: an ended rollout changes no more. */
    public boolean isEnded() {
        return rollout != null && RolloutProgress.admitted(rollout.state()).isEmpty();
    }

    public boolean isOffersSubmit() {
        return offered.contains(Command.SUBMIT);
    }

    public boolean isOffersApprove() {
        return offered.contains(Command.APPROVE);
    }

    public boolean isOffersStart() {
        return offered.contains(Command.START);
    }

    public boolean isOffersPause() {
        return offered.contains(Command.PAUSE);
    }

    public boolean isOffersResume() {
        return offered.contains(Command.RESUME);
    }

    public boolean isOffersCancel() {
        return offered.contains(Command.CANCEL);
    }
}
