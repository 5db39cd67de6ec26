package dev.ota.portal;

import dev.ota.account.Roles;
import dev.ota.error.OtaException;
import dev.ota.release.ReleaseUpload;
import dev.ota.release.ReleaseView;
import dev.ota.release.Releases;
import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Backs {@code app/releases.xhtml}: the release list and, for release managers, an upload form and a rollback
 * button per listed release.
 */
@Named
@ViewScoped
public class ReleasesView implements Serializable {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient Releases service;

    @Inject
    private transient SecurityContext security;

    private List<ReleaseView> releases = List.of();
    private boolean mayUpload;
    private String path;
    private String version;
    private String hardwareIds;
    private transient Part file;

    public void load() {
        mayUpload = security.isCallerInRole(Roles.RELEASE_MANAGER) || security.isCallerInRole(Roles.ADMINISTRATOR);
        releases = service.list(0, 200);
    }

    public String upload() {
        FacesContext faces = FacesContext.getCurrentInstance();
        List<String> ids = hardwareIds == null || hardwareIds.isBlank() ? List.of()
                : Arrays.stream(hardwareIds.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        try (InputStream in = file.getInputStream()) {
            ReleaseView created = service.upload(new ReleaseUpload(path, version, ids, null, null, file.getSize()), in);
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, "Published " + created.targetPath()
                    + " in snapshot " + created.publishedInSnapshot(), null));
            path = null;
            version = null;
            hardwareIds = null;
        } catch (OtaException e) {
            if (e.kind() == dev.ota.error.ErrorKind.UNAVAILABLE) {
                java.util.logging.Logger.getLogger(ReleasesView.class.getName())
                        .log(java.util.logging.Level.WARNING, "portal upload: service unavailable (" + e.code() + ")", e);
            }
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code()));
        } catch (IOException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, "The upload could not be read.", null));
        }
        load();
        return null;
    }

    /**
     * Rollback as a re-release of release {@code id} ({@link Releases#rollback}): its bytes under a derived path
     * with the next release counter of its product line. The service checks the role and audits.
     */
    public String rollback(long id) {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            ReleaseView created = service.rollback(id, null);
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, "Published " + created.targetPath()
                    + " with release counter " + created.releaseCounter() + " as a rollback", null));
        } catch (OtaException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code()));
        }
        load();
        return null;
    }

    public List<ReleaseView> getReleases() {
        return releases;
    }

    public boolean isMayUpload() {
        return mayUpload;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public String getHardwareIds() {
        return hardwareIds;
    }

    public void setHardwareIds(String hardwareIds) {
        this.hardwareIds = hardwareIds;
    }

    public Part getFile() {
        return file;
    }

    public void setFile(Part file) {
        this.file = file;
    }
}
