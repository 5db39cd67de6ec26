package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.ceremony.CeremonyViews.CurrentRoot;
import dev.ota.ceremony.CeremonyViews.RootProposalView;
import dev.ota.ceremony.RootCeremonies;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
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
 * Root threshold ceremonies (architecture.md, "Keys and roles"): security officers propose root N+1, sign its
 * canonical bytes offline or in the browser and upload detached signatures; the server publishes the new root once a
 * threshold of root N's and of root N+1's root keys have signed. {@link RootCeremonies} enforces the role and audits
 * every step and refusal; the annotations repeat the role for readers.
 */
@Path("root")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "root", description = "Offline root: threshold key ceremonies of security officers")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
public class RootCeremonyResource {
    @EJB
    private RootCeremonies ceremonies;

    public record RootProposalList(List<RootProposalView> proposals) {
    }

    /** The bytes officers sign, base64 in JSON, with their SHA-256 to compare out of band. */
    public record ProposalBytes(String proposalId, int version, String sha256, String canonicalBase64) {
    }

    @GET
    @Operation(summary = "Show the current root", description = "The served root version, its expiry, and per "
            + "top-level role the threshold and keys, each with its holder (an officer's account, or the server's "
            + "online keystore).")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "The current root",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "CurrentRoot")))
    public CurrentRoot current() {
        return ceremonies.currentRoot();
    }

    @POST
    @Path("proposals")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Propose a new root version", description = "Root N+1: for each role named, its complete "
            + "new key list (keys of the current root by `keyid`, new ones as PEM `publicKey`, ed25519 or ECDSA P-256, "
            + "with the `holder` account, an enabled security officer) and threshold; roles not named keep theirs; "
            + "`expires` optional. The first proposal typically turns the embedded online root into an offline root of "
            + "k of n officers' keys. Earlier pending proposals are superseded. The server signs at once with the root "
            + "keys it holds that root N authorises. 400 `ceremony.invalid` names the field; 400 "
            + "`ceremony.role-unreachable` for a role with fewer keys than its threshold, or snapshot or timestamp keys "
            + "the server does not hold. Targets may go to officers' keys (k of n, as many holders as the threshold): "
            + "the answer's `targetsProposalId` is then targets N+1 for those keys to sign, published with this root "
            + "(`/targets/proposals`). Audited, refusals too.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "NewRootProposal")))
    @APIResponse(responseCode = "201", description = "Proposed, PENDING",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RootProposalView")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    public Response propose(InputStream body) throws IOException {
        return Response.status(201).entity(ceremonies.propose(read(body))).build();
    }

    @GET
    @Path("proposals")
    @Operation(summary = "List root proposals", description = "The newest " + RootCeremonies.LIST_LIMIT
            + " proposals, newest first, each with its diff, signatures and thresholds.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "The proposals",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RootProposalList")))
    public RootProposalList list() {
        return new RootProposalList(ceremonies.list());
    }

    @GET
    @Path("proposals/{id}")
    @Operation(summary = "Show a root proposal", description = "State, the readable diff against root N (keys by id "
            + "and holder, thresholds, expiry), the signatures so far, and both thresholds as they stand.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "The proposal",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RootProposalView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public RootProposalView get(@Parameter(description = "Proposal id") @PathParam("id") String id) {
        return ceremonies.get(id);
    }

    @GET
    @Path("proposals/{id}/signed")
    @Operation(summary = "The bytes to sign", description = "The canonical JSON of the proposed root's `signed` "
            + "object, base64, and its SHA-256: what every detached signature is over. Sign it offline with "
            + "`dev.ota.tuf.signer.DetachedSigner` (tuf-core) or in the portal.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "The canonical bytes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ProposalBytes")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ProposalBytes signed(@Parameter(description = "Proposal id") @PathParam("id") String id) {
        RootProposalView p = ceremonies.get(id);
        byte[] bytes = ceremonies.signedBytes(id);
        return new ProposalBytes(p.id(), p.version(), sha256(bytes), Base64.getEncoder().encodeToString(bytes));
    }

    @POST
    @Path("proposals/{id}/signatures")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a detached signature", description = "`{\"keyid\", \"sig\"}`: the caller's signature "
            + "(hex; ECDSA in DER) over the proposal's canonical bytes with a root key of root N or N+1 that the caller "
            + "holds. Refused and not stored: 400 `ceremony.unknown-key` (a key of neither root), 403 "
            + "`ceremony.not-holder`, 409 `ceremony.already-signed`, 400 `ceremony.bad-signature` (a signature over "
            + "other bytes), 409 `ceremony.expired`, `ceremony.superseded` or `ceremony.published`. Audited, refusals too.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "DetachedSignature")))
    @APIResponse(responseCode = "200", description = "The proposal with the signature counted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RootProposalView")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    public RootProposalView sign(@Parameter(description = "Proposal id") @PathParam("id") String id, InputStream body)
            throws IOException {
        return ceremonies.sign(id, read(body));
    }

    @POST
    @Path("proposals/{id}/publish")
    @Operation(summary = "Publish the new root", description = "Publishes the proposal as `N+1.root.json` when a "
            + "threshold of root N's root keys and a threshold of root N+1's have signed; otherwise 409 "
            + "`ceremony.threshold-not-met` and the proposal stays pending (also while the targets proposal that goes "
            + "with it lacks its threshold of the new targets keys). Online roles whose keys changed are re-signed in "
            + "the same transaction, or targets N+1 as officers signed it is published with it. Every TUF client then follows the root chain. Audited, refusals too.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "The proposal, PUBLISHED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RootProposalView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public RootProposalView publish(@Parameter(description = "Proposal id") @PathParam("id") String id) {
        return ceremonies.publish(id);
    }

    static byte[] read(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(StrictJsonReader.MAX_BODY_BYTES + 1);
        if (bytes.length > StrictJsonReader.MAX_BODY_BYTES) {
            throw new OtaException("request.too-large", ErrorKind.TOO_LARGE,
                    "the JSON body exceeds " + StrictJsonReader.MAX_BODY_BYTES + " bytes");
        }
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
