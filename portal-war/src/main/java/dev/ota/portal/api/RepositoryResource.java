package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.expiry.RepositoryReader;
import dev.ota.expiry.RepositoryStatus;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Repository status: versions, expiries and key ids per role. */
@Path("repository")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "repository", description = "The TUF repository this server signs and serves")
public class RepositoryResource {
    @EJB
    private RepositoryReader repository;

    @GET
    @Operation(summary = "Repository status", description = "Current version, expiry, key ids and threshold of every "
            + "role, the number of hash bins and of listed targets. Any signed-in account may read it.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER,
            Roles.SECURITY_OFFICER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER,
            Roles.SECURITY_OFFICER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "RepositoryStatus")))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public RepositoryStatus status() {
        return repository.status();
    }
}
