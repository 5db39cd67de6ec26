package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.custody.KeyChange;
import dev.ota.custody.KeyCustody;
import dev.ota.custody.OnlineKey;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
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
 * The online keys of the image repository and the director: list, rotate, revoke. {@link KeyCustody} enforces the
 * roles (security officers change keys; auditors and administrators read) and audits; these annotations repeat
 * them for readers.
 */
@Path("keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "keys", description = "Online signing keys: age, algorithm, holder; rotation and revocation")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
public class KeyResource {
    @EJB
    private KeyCustody custody;

    /** The list of keys, in service first. */
    public record KeyList(List<OnlineKey> keys) {
    }

    /** Why a key is revoked. */
    public record Revocation(String reason) {
    }

    @GET
    @Operation(summary = "List online keys", description = "Every key in the image repository's and the director's"
            + " keystores (status ACTIVE) with role, key id, type, scheme, creation time and holder, then the keys"
            + " retired by rotation (RETIRED) or revoked (REVOKED, with the reason), newest first. Never key material.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER, Roles.AUDITOR, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER, Roles.AUDITOR, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "200", description = "The keys",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "KeyList")))
    public KeyList list() {
        return new KeyList(custody.list());
    }

    @POST
    @Path("{repository}/{role}/{keyId}/rotate")
    @Operation(summary = "Rotate an online key", description = "Generates a key of the same type in the keystore and"
            + " publishes, in one transaction: for the image repository's timestamp, snapshot or targets a new root"
            + " version listing the new key instead of the old (signed by the root keys this server holds), for its"
            + " `releases` role a new top-level targets version doing the same, for the director a new director root;"
            + " then the role signed anew under the new key. The old key is deleted from the keystore. TUF clients"
            + " follow the new root. When the root (or, for `releases`, top-level targets) is offline, the change"
            + " needs its officers: 409 `keys.root-offline` says to propose a root version, `keys.targets-offline`"
            + " that a targets ceremony is required (the server never signs offline targets)."
            + " Image-repository root keys change only in a root ceremony (409 `keys.root-ceremony`). Audited.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "Rotated",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "KeyChange")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public KeyChange rotate(
            @Parameter(description = "`image` or `director`") @PathParam("repository") String repository,
            @Parameter(description = "The role the key signs, e.g. `snapshot`") @PathParam("role") String role,
            @Parameter(description = "The key's TUF key id (64 hex digits)") @PathParam("keyId") String keyId) {
        return custody.rotate(repository, role, keyId);
    }

    @POST
    @Path("{repository}/{role}/{keyId}/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revoke a compromised online key", description = "As rotate, and the key is listed as"
            + " REVOKED with the `reason` (1 to 500 characters; 400 `keys.reason-required` otherwise). Audited.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "Revocation")))
    @APIResponse(responseCode = "200", description = "Revoked and replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "KeyChange")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public KeyChange revoke(@PathParam("repository") String repository, @PathParam("role") String role,
                            @PathParam("keyId") String keyId, Revocation body) {
        return custody.revoke(repository, role, keyId, body == null ? null : body.reason());
    }
}
