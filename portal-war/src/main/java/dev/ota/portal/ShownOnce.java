package dev.ota.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;

/**
 * A secret the server made for a person (a one-time password, an API token) and shows in the answer
 * to the request that made it, and never again: it lives only as long as that request, so neither a
 * later postback of the page nor a reload can show it, and the answer is marked not to be stored.
 */
@Named
@RequestScoped
public class ShownOnce {
    private String label;
    private String secret;

    /** Puts the secret in this response only. */
    void show(String label, String secret) {
        this.label = label;
        this.secret = secret;
        FacesContext.getCurrentInstance().getExternalContext().setResponseHeader("Cache-Control", "no-store");
    }

    public boolean isShown() {
        return secret != null;
    }

    /** What the secret is for, in a sentence. */
    public String getLabel() {
        return label;
    }

    public String getSecret() {
        return secret;
    }
}
