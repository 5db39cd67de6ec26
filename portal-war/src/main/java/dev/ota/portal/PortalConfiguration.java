package dev.ota.portal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.faces.annotation.FacesConfig;

/** Activates Faces' CDI integration (Faces 4: EL resolution through CDI). */
@FacesConfig
@ApplicationScoped
public class PortalConfiguration {
}
