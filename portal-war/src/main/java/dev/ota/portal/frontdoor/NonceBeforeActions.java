package dev.ota.portal.frontdoor;

import jakarta.faces.context.FacesContext;
import jakarta.faces.event.PhaseEvent;
import jakarta.faces.event.PhaseId;
import jakarta.faces.event.PhaseListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.primefaces.context.PrimeFacesContext;
import org.primefaces.csp.CspException;

/**
 * Refuses a form post (or ajax request) that does not carry its page's CSP nonce, with 400, before
 * any value is applied or any action runs.
 * <p>
 * In CSP mode PrimeFaces stores a nonce in each view, and its script adds it to every form the page
 * posts. PrimeFaces compares the posted nonce with the view's only when it renders the answer, that
 * is after the action ran: an upload without it was published and then answered with a 500 (issue
 * 9). Asking PrimeFaces' own {@code CspState} for the nonce right after the view is restored runs
 * the same comparison at the start; on success the nonce is kept for rendering, as before.
 */
public class NonceBeforeActions implements PhaseListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(NonceBeforeActions.class.getName());

    @Override
    public PhaseId getPhaseId() {
        return PhaseId.RESTORE_VIEW;
    }

    @Override
    public void beforePhase(PhaseEvent event) {
        // nothing before the view exists
    }

    @Override
    public void afterPhase(PhaseEvent event) {
        FacesContext faces = event.getFacesContext();
        boolean postback = faces.isPostback() || faces.getPartialViewContext().isAjaxRequest();
        if (!postback || faces.getViewRoot() == null || faces.getResponseComplete()) {
            return; // a first request gets a fresh nonce at rendering; an expired view has none to compare
        }
        try {
            PrimeFacesContext.getCspState(faces).getNonce();
        } catch (CspException e) {
            // Not an error of the server: a client that did not run the page's script, or a forged post.
            LOG.log(Level.FINE, "form post to {0} refused: {1}", new Object[] {faces.getViewRoot().getViewId(),
                    e.getMessage()});
            try {
                faces.getExternalContext().responseSendError(400,
                        "The form was sent without the security value its page adds; reload the page and send it again.");
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
            faces.responseComplete();
        }
    }
}
