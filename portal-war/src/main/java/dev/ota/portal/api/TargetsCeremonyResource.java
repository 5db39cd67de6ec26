package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.ceremony.CeremonyViews.TargetsProposalView;
import dev.ota.ceremony.RootCeremonies;
import dev.ota.ceremony.TargetsCeremonies;
import dev.ota.portal.api.RootCeremonyResource.ProposalBytes;
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
import java.util.Base64;
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
 * Top-level targets threshold ceremonies (architecture.md, "Keys and roles": targets offline): once a root ceremony
 * gave targets' keys to officers, each new targets version is proposed, signed offline or in the browser, and
 * published with a new snapshot and timestamp when a threshold of the root's targets keys signed.
 * {@link TargetsCeremonies} enforces the role and audits every step and refusal.
 */
@Path("targets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "targets", description = "Offline top-level targets: threshold signing ceremonies of security officers")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
public class TargetsCeremonyResource {
    @EJB
    private TargetsCeremonies ceremonies;

    public record TargetsProposalList(List<TargetsProposalView> proposals) {
    }

    @POST
    @Path("proposals")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Propose a new top-level targets version", description = "Targets N+1: the served targets "
            + "and delegations with a new `expires` (optional; default now + OTA_EXPIRY_TARGETS) and an optional "
            + "`reason`. Earlier pending targets proposals are superseded. 409 `ceremony.targets-online` while this "
            + "server signs targets online (a root ceremony gives its keys to officers first). Audited, refusals too.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "NewTargetsProposal")))
    @APIResponse(responseCode = "201", description = "Proposed, PENDING",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TargetsProposalView")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    public Response propose(InputStream body) throws IOException {
        return Response.status(201).entity(ceremonies.propose(RootCeremonyResource.read(body))).build();
    }

    @GET
    @Path("proposals")
    @Operation(summary = "List targets proposals", description = "The newest " + RootCeremonies.LIST_LIMIT
            + " targets proposals, newest first, each with its diff, signatures and threshold; also those that go "
            + "with a root proposal handing targets to officers.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "The proposals",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TargetsProposalList")))
    public TargetsProposalList list() {
        return new TargetsProposalList(ceremonies.list());
    }

    @GET
    @Path("proposals/{id}")
    @Operation(summary = "Show a targets proposal", description = "State, the readable diff against the served "
            + "targets (each delegation's name, keys by id and holder, threshold and paths; expiry), the signatures so "
            + "far and the threshold of the root's targets keys as it stands.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "The proposal",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TargetsProposalView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public TargetsProposalView get(@Parameter(description = "Proposal id") @PathParam("id") String id) {
        return ceremonies.get(id);
    }

    @GET
    @Path("proposals/{id}/signed")
    @Operation(summary = "The bytes to sign", description = "The canonical JSON of the proposed targets' `signed` "
            + "object, base64, and its SHA-256: what every detached signature is over. Sign it offline with "
            + "`dev.ota.tuf.signer.DetachedSigner` (tuf-core) or in the portal.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "The canonical bytes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ProposalBytes")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ProposalBytes signed(@Parameter(description = "Proposal id") @PathParam("id") String id) {
        TargetsProposalView p = ceremonies.get(id);
        byte[] bytes = ceremonies.signedBytes(id);
        return new ProposalBytes(p.id(), p.version(), RootCeremonyResource.sha256(bytes),
                Base64.getEncoder().encodeToString(bytes));
    }

    @POST
    @Path("proposals/{id}/signatures")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a detached signature", description = "`{\"keyid\", \"sig\"}`: the caller's signature "
            + "(hex; ECDSA in DER) over the proposal's canonical bytes with a top-level targets key of the proposal's "
            + "root that the caller holds. Refused and not stored: 400 `ceremony.unknown-key`, 403 "
            + "`ceremony.not-holder`, 409 `ceremony.already-signed`, 400 `ceremony.bad-signature` (a signature over "
            + "other bytes), 409 `ceremony.expired`, `ceremony.superseded` or `ceremony.published`. Audited, refusals too.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "DetachedSignature")))
    @APIResponse(responseCode = "200", description = "The proposal with the signature counted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TargetsProposalView")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    public TargetsProposalView sign(@Parameter(description = "Proposal id") @PathParam("id") String id, InputStream body)
            throws IOException {
        return ceremonies.sign(id, RootCeremonyResource.read(body));
    }

    @POST
    @Path("proposals/{id}/publish")
    @Operation(summary = "Publish the new targets", description = "Publishes the proposal as `N+1.targets.json`, then "
            + "a new snapshot and timestamp, when a threshold of the served root's targets keys has signed; otherwise "
            + "409 `ceremony.threshold-not-met` and it stays pending. A proposal that goes with a root proposal is "
            + "published by that root's publish (409 `ceremony.with-root`). Audited, refusals too.")
    @SecurityRequirement(name = "basic", scopes = {Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "The proposal, PUBLISHED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TargetsProposalView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public TargetsProposalView publish(@Parameter(description = "Proposal id") @PathParam("id") String id) {
        return ceremonies.publish(id);
    }
}
