package dev.ota.portal.api;

import dev.ota.repository.RepositoryPublisher;
import dev.ota.repository.RepositoryStatus;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Repository status: versions, expiries and key ids per role. */
@Path("repository")
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryResource {
    @EJB
    private RepositoryPublisher repository;

    @GET
    public RepositoryStatus status() {
        return repository.status();
    }
}
