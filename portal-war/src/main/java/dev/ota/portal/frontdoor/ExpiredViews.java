package dev.ota.portal.frontdoor;

import jakarta.faces.FacesException;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.application.ViewExpiredException;
import jakarta.faces.context.ExceptionHandler;
import jakarta.faces.context.ExceptionHandlerFactory;
import jakarta.faces.context.ExceptionHandlerWrapper;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.faces.event.ExceptionQueuedEvent;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * A form of a page whose view is gone (the session ended, or the server restarted) is not carried
 * out: the person is sent to that page again by GET, with a message saying why. The page's security
 * constraint decides what the GET shows, the sign-in form when the person is no longer signed in.
 * <p>
 * Replaces a web.xml error page for {@link ViewExpiredException}, which rendered the sign-in view
 * inside the failed POST: with status 500, under the address of the page that failed, restoring the
 * posted view state once more.
 */
public class ExpiredViews extends ExceptionHandlerFactory {
    static final String MESSAGE = "The page had expired, so what you sent was not carried out. Please try again.";

    public ExpiredViews(ExceptionHandlerFactory wrapped) {
        super(wrapped);
    }

    @Override
    public ExceptionHandler getExceptionHandler() {
        return new Handler(getWrapped().getExceptionHandler());
    }

    static final class Handler extends ExceptionHandlerWrapper {
        Handler(ExceptionHandler wrapped) {
            super(wrapped);
        }

        @Override
        public void handle() {
            for (Iterator<ExceptionQueuedEvent> events = getUnhandledExceptionQueuedEvents().iterator(); events.hasNext();) {
                ViewExpiredException expired = expired(events.next().getContext().getException());
                if (expired != null) {
                    events.remove();
                    startOver(FacesContext.getCurrentInstance(), expired.getViewId());
                }
            }
            getWrapped().handle();
        }

        private static ViewExpiredException expired(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof ViewExpiredException e) {
                    return e;
                }
            }
            return null;
        }

        private static void startOver(FacesContext faces, String viewId) {
            if (faces.getResponseComplete()) {
                return;
            }
            ExternalContext external = faces.getExternalContext();
            String url = faces.getApplication().getViewHandler().getRedirectURL(faces,
                    viewId == null ? "/login.xhtml" : viewId, Map.of(), false);
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_WARN, MESSAGE, null));
            external.getFlash().setKeepMessages(true);
            try {
                external.redirect(url);
            } catch (IOException e) {
                throw new FacesException(e);
            }
            faces.responseComplete();
        }
    }
}
