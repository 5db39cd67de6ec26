package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.error.ErrorBody;
import dev.ota.error.ErrorKind;
import dev.ota.fleet.DeviceAdministration;
import dev.ota.fleet.DeviceView;
import dev.ota.fleet.EnrollmentTokenView;
import dev.ota.fleet.Enrollments;
import dev.ota.fleet.IssuedEnrollmentToken;
import dev.ota.fleet.NewEnrollmentToken;
import dev.ota.tuf.json.JsonValue.JsonObject;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Provisioning the fleet (device-api.md, "Management calls"): enrollment tokens, accepting, rejecting and
 * decommissioning devices, replacing a device's key, and one device as the server knows it. The roles in the
 * OpenAPI annotations repeat those {@link Enrollments} and {@link DeviceAdministration} enforce, for readers only.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "fleet", description = "Enrollment tokens and the devices that enrolled with them")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class FleetResource {
    @EJB
    private Enrollments enrollments;

    @EJB
    private DeviceAdministration devices;

    public record EnrollmentTokenRequest(String label, List<String> hardwareIds, Integer maxUses, Integer validityHours,
                                         Boolean autoAccept) {
    }

    public record EnrollmentTokenIssued(long id, String token, String label, Set<String> hardwareIds, int maxUses,
                                        Instant expiresAt, boolean autoAccept) {
    }

    public record EnrollmentTokenList(List<EnrollmentTokenView> tokens) {
    }

    public record KeyReplacement(
            @Schema(type = SchemaType.OBJECT, description = "The device's new TUF key object, e.g. {\"keytype\": "
                    + "\"ed25519\", \"scheme\": \"ed25519\", \"keyval\": {\"public\": \"<64 hex>\"}}")
            JsonObject publicKey) {
    }

    @POST
    @Path("enrollment-tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make an enrollment token", description = "A device enrolls with it (device-api.md, "
            + "\"Enrollment\"). The token is in this response only; the server keeps its hash. `hardwareIds`: the "
            + "hardware it enrolls (empty or absent: any, at most 100); `maxUses` 1 to 1,000,000 (default 1); "
            + "`validityHours` 1 to 8784 (default 24); `autoAccept` (default false): devices enrolled with it are "
            + "ACCEPTED at once, otherwise PENDING until an administrator accepts them.")
    @SecurityRequirement(name = "basic", scopes = Roles.ADMINISTRATOR)
    @SecurityRequirement(name = "bearer", scopes = Roles.ADMINISTRATOR)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EnrollmentTokenRequest.class)))
    @APIResponse(responseCode = "201", description = "The token, shown once",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EnrollmentTokenIssued.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public Response createToken(EnrollmentTokenRequest request) {
        if (request == null) {
            return ErrorMapper.response(ErrorBody.of(ErrorKind.INVALID_INPUT, StrictJsonReader.CODE,
                    "send {\"hardwareIds\": [...], \"maxUses\": ..., \"validityHours\": ..., \"autoAccept\": ...}"));
        }
        IssuedEnrollmentToken t = enrollments.createToken(new NewEnrollmentToken(request.label(), request.hardwareIds(),
                request.maxUses(), request.validityHours(), request.autoAccept()));
        EnrollmentTokenView v = t.view();
        return Response.status(201).entity(new EnrollmentTokenIssued(v.id(), t.token(), v.label(), v.hardwareIds(),
                v.maxUses(), v.expiresAt(), v.autoAccept())).build();
    }

    @GET
    @Path("enrollment-tokens")
    @Operation(summary = "List enrollment tokens", description = "Every token with its terms and uses; never a secret.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The tokens, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "EnrollmentTokenList")))
    public EnrollmentTokenList tokens() {
        return new EnrollmentTokenList(enrollments.tokens());
    }

    @DELETE
    @Path("enrollment-tokens/{id}")
    @Operation(summary = "Revoke an enrollment token", description = "From now on it enrolls nothing; the devices it "
            + "enrolled stay.")
    @SecurityRequirement(name = "basic", scopes = Roles.ADMINISTRATOR)
    @SecurityRequirement(name = "bearer", scopes = Roles.ADMINISTRATOR)
    @APIResponse(responseCode = "200", description = "Revoked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "EnrollmentTokenView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public EnrollmentTokenView revokeToken(@Parameter(description = "Token id") @PathParam("id") long id) {
        return enrollments.revokeToken(id);
    }

    @GET
    @Path("devices/{deviceId}")
    @Operation(summary = "One device", description = "Its status, hardware, key id, state, last check-in, the image "
            + "each ECU runs as last reported, its newest reports (at most 100) and kept configuration versions.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The device",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "DeviceView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public DeviceView device(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId) {
        return devices.device(deviceId);
    }

    @POST
    @Path("devices/{deviceId}/accept")
    @Operation(summary = "Accept a device", description = "A PENDING (or REJECTED) device becomes ACCEPTED and may "
            + "check in. An ACCEPTED device is answered 200 unchanged; 409 `device.wrong-status` for a decommissioned one.")
    @SecurityRequirement(name = "basic", scopes = Roles.ADMINISTRATOR)
    @SecurityRequirement(name = "bearer", scopes = Roles.ADMINISTRATOR)
    @APIResponse(responseCode = "200", description = "The device",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "DeviceView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public DeviceView accept(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId) {
        return devices.accept(deviceId);
    }

    @POST
    @Path("devices/{deviceId}/reject")
    @Operation(summary = "Reject a device", description = "A PENDING device becomes REJECTED; it is refused (403). "
            + "A REJECTED device is answered 200 unchanged; 409 `device.wrong-status` for an accepted or decommissioned one.")
    @SecurityRequirement(name = "basic", scopes = Roles.ADMINISTRATOR)
    @SecurityRequirement(name = "bearer", scopes = Roles.ADMINISTRATOR)
    @APIResponse(responseCode = "200", description = "The device",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "DeviceView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public DeviceView reject(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId) {
        return devices.reject(deviceId);
    }

    @POST
    @Path("devices/{deviceId}/decommission")
    @Operation(summary = "Decommission a device", description = "The device is refused from now on (403) and its "
            + "bearer tokens end at once. Final: it enrolls again only under another id. Repeated, answered 200 unchanged.")
    @SecurityRequirement(name = "basic", scopes = Roles.ADMINISTRATOR)
    @SecurityRequirement(name = "bearer", scopes = Roles.ADMINISTRATOR)
    @APIResponse(responseCode = "200", description = "The device",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "DeviceView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public DeviceView decommission(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId) {
        return devices.decommission(deviceId);
    }

    @PUT
    @Path("devices/{deviceId}/key")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a device's key", description = "For a device whose key was lost or whose hardware "
            + "was swapped: the new key (ed25519 or ecdsa-sha2-nistp256) replaces the old one, the device's counter "
            + "starts over and the old key's bearer tokens end.")
    @SecurityRequirement(name = "basic", scopes = Roles.ADMINISTRATOR)
    @SecurityRequirement(name = "bearer", scopes = Roles.ADMINISTRATOR)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = KeyReplacement.class)))
    @APIResponse(responseCode = "200", description = "The device with its new key id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "DeviceView")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public DeviceView replaceKey(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId,
                                 KeyReplacement replacement) {
        return devices.replaceKey(deviceId, replacement == null ? null : replacement.publicKey());
    }
}
