package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.director.DesiredConfigView;
import dev.ota.director.Director;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.tuf.json.JsonValue;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A device's desired configuration (issue 12, item 5; device-api.md: a director target {@code config/{deviceId}.json};
 * fleet.md, "Config twin"): set or cleared here, signed by the director next to the device's order, applied and
 * backed up by the device. The same roles as assignments: both are what the director signs for a device. The roles
 * in the annotations repeat those {@link Director} enforces, for readers only.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "desired configuration", description = "Properties the director orders a device to set")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
public class DesiredConfigResource {
    @EJB
    private Director director;

    public record DesiredConfigRequest(
            @Schema(ref = "DesiredProperties") JsonValue.JsonObject properties) {
    }

    @GET
    @Path("devices/{deviceId}/desired-config")
    @Operation(summary = "A device's desired configuration", description = "The properties in force and the director "
            + "target carrying them; 404 `desired-config.none` when none is set.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR,
            Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR,
            Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "The desired configuration",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DesiredConfigView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public DesiredConfigView get(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId) {
        return director.desiredConfig(deviceId).orElseThrow(() -> new OtaException("desired-config.none",
                ErrorKind.NOT_FOUND, "device '" + deviceId + "' has no desired configuration"));
    }

    @PUT
    @Path("devices/{deviceId}/desired-config")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a device's desired configuration", description = "`properties`: an object of at most "
            + "200 properties, names of 1 to 128 of `A-Z a-z 0-9 . _ -` starting with a letter or digit (not `format` "
            + "or `device.id`, which the agent writes itself), values strings of at most 1,024 characters without "
            + "control characters, at most 16 KiB as canonical JSON (413 `desired-config.too-large`). The director "
            + "signs new targets listing `config/{deviceId}.json` next to the device's order; the device's next "
            + "check-in answer names the new `director.timestampVersion`, and the device sets the properties in its "
            + "properties file and backs the result up (`GET /devices/{deviceId}/configs`). The same properties as "
            + "those in force sign nothing, unless the device reported them REFUSED (bytes altered on the way): then "
            + "they are signed anew and the device fetches them once more. Only ACCEPTED devices (409). Audited, "
            + "refusals too.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DesiredConfigRequest.class)))
    @APIResponse(responseCode = "200", description = "The desired configuration now in force",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DesiredConfigView")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    public DesiredConfigView set(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId,
                                 DesiredConfigRequest request) {
        return director.setDesiredConfig(deviceId, request == null ? null : request.properties());
    }

    @DELETE
    @Path("devices/{deviceId}/desired-config")
    @Operation(summary = "Clear a device's desired configuration", description = "The director signs targets without "
            + "`config/{deviceId}.json` (the order in force stays); the device keeps the properties it has. 404 "
            + "`desired-config.none` when none is set. Audited, refusals too.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "200", description = "The clearing",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DesiredConfigView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public DesiredConfigView clear(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId) {
        return director.clearDesiredConfig(deviceId);
    }
}
