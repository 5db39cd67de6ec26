package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.director.AssignmentView;
import dev.ota.director.Director;
import dev.ota.tuf.json.JsonValue;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Assignment by hand (device-api.md, "Management calls"; issue 12): the director signs an order for a device, or
 * for every accepted device a filter matches, after checking it against the image repository. Release managers
 * and administrators may assign: the same roles that publish releases, since an order is what makes a release
 * reach devices. The roles in the annotations repeat those {@link Director} enforces, for readers only.
 */
@Path("assignments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "assignments", description = "Orders the director signs for devices, by hand")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
public class AssignmentResource {
    @EJB
    private Director director;

    public record AssignmentRequest(String deviceId,
                                    @Schema(ref = "DeviceFilter") JsonValue.JsonObject filter,
                                    @Schema(description = "The name of a saved filter, instead of deviceId or filter")
                                    String savedFilter,
                                    String targetPath) {
    }

    public record AssignmentList(List<AssignmentView> assignments) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Assign a release", description = "Orders a device (`deviceId`), or every ACCEPTED device "
            + "a `filter` or the saved filter named `savedFilter` matches now (at most 1,000; all or none), to install "
            + "`targetPath`. Refused before anything is "
            + "signed unless the image repository lists the target for the device's hardware id with a "
            + "`releaseCounter` not below the one the device last reported running. Each order gets a fresh "
            + "`actionId`, attempt 1; the director signs new targets, snapshot and timestamp for the device, whose "
            + "next check-in answer names the new `director.timestampVersion`. Audited, refusals too.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AssignmentRequest.class)))
    @APIResponse(responseCode = "201", description = "The orders signed, one per device",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AssignmentList.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response assign(AssignmentRequest request) {
        List<AssignmentView> signed = request == null ? director.assign(null, null, null, null)
                : director.assign(request.deviceId(), request.filter(), request.savedFilter(), request.targetPath());
        return Response.status(201).entity(new AssignmentList(signed)).build();
    }

    @DELETE
    @Path("{deviceId}")
    @Operation(summary = "Cancel a device's order", description = "The director signs targets that list nothing "
            + "(still naming the device). Audited.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "200", description = "The cancellation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "AssignmentView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public AssignmentView cancel(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId) {
        return director.cancel(deviceId);
    }
}
