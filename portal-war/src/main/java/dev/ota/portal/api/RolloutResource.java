package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.rollouts.RolloutView;
import dev.ota.rollouts.Rollouts;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
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
 * Progressive rollouts (device-api.md, "Management calls"; fleet.md, "Rollouts"). Release managers and
 * administrators drive them, auditors read them; {@link Rollouts} enforces the roles, these annotations repeat them
 * for readers. The create body is read by the rollout rules themselves (RolloutDefinition.fromJson), which refuse
 * unknown fields and wrong values by field name as 400 {@code rollout.invalid}.
 */
@Path("rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rollouts", description = "Progressive rollouts: canary, waves, error budget, four-eyes approval")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
public class RolloutResource {
    @EJB
    private Rollouts rollouts;

    public record RolloutList(List<RolloutView> rollouts) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a rollout", description = "A DRAFT rollout of `targetPath` to the ACCEPTED devices "
            + "`filter` matches: a canary of `canary` devices, then `waves` in cumulative percent of the rest. Every "
            + "field but name, targetPath and filter is optional, with fleet.md's defaults; the answer shows the "
            + "definition with every default written out and its `definitionHash`, which approval binds to. "
            + "Audited, refusals too.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "NewRollout")))
    @APIResponse(responseCode = "201", description = "Created, in state DRAFT",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RolloutView")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    public Response create(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(StrictJsonReader.MAX_BODY_BYTES + 1);
        if (bytes.length > StrictJsonReader.MAX_BODY_BYTES) {
            throw new OtaException("request.too-large", ErrorKind.TOO_LARGE,
                    "the JSON body exceeds " + StrictJsonReader.MAX_BODY_BYTES + " bytes");
        }
        return Response.status(201).entity(rollouts.create(bytes)).build();
    }

    @GET
    @Operation(summary = "List rollouts", description = "The newest " + Rollouts.LIST_LIMIT + " rollouts, newest "
            + "first, each with its waves.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The rollouts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RolloutList")))
    public RolloutList list() {
        return new RolloutList(rollouts.list());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Show a rollout", description = "Its state and, per wave (index 0 the canary), the wave's "
            + "state and how many members it has, how many succeeded and how many failed.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The rollout",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RolloutView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public RolloutView get(@Parameter(description = "Rollout id") @PathParam("id") String id) {
        return rollouts.get(id);
    }

    @POST
    @Path("{id}/submit")
    @Operation(summary = "Submit for approval", description = "DRAFT to AWAITING_APPROVAL. Audited.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "200", description = "The rollout",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RolloutView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public RolloutView submit(@Parameter(description = "Rollout id") @PathParam("id") String id) {
        return rollouts.submit(id);
    }

    @POST
    @Path("{id}/approve")
    @Operation(summary = "Approve (four eyes)", description = "AWAITING_APPROVAL to SCHEDULED, by an account other "
            + "than the creator's (403 `rollout.approval-own` otherwise). `definitionHash`, when given, must be the "
            + "rollout's (409 `rollout.approval-stale` otherwise): the approver approves the definition they were "
            + "shown. Audited, refusals too.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "200", description = "The rollout",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RolloutView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public RolloutView approve(@Parameter(description = "Rollout id") @PathParam("id") String id,
            @Parameter(description = "The definitionHash the approver was shown")
            @QueryParam("definitionHash") String definitionHash) {
        return rollouts.approve(id, definitionHash);
    }

    @POST
    @Path("{id}/start")
    @Operation(summary = "Start", description = "SCHEDULED to RUNNING, the canary first; only the approved "
            + "definition starts. Audited.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "200", description = "The rollout",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RolloutView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public RolloutView start(@Parameter(description = "Rollout id") @PathParam("id") String id) {
        return rollouts.start(id);
    }

    @POST
    @Path("{id}/pause")
    @Operation(summary = "Pause", description = "RUNNING to PAUSED: no further wave starts. Audited.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "200", description = "The rollout",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RolloutView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public RolloutView pause(@Parameter(description = "Rollout id") @PathParam("id") String id) {
        return rollouts.pause(id);
    }

    @POST
    @Path("{id}/resume")
    @Operation(summary = "Resume", description = "PAUSED to RUNNING; the failures so far are accepted, the error "
            + "budget trips again only on a further one. Audited.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "200", description = "The rollout",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RolloutView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public RolloutView resume(@Parameter(description = "Rollout id") @PathParam("id") String id) {
        return rollouts.resume(id);
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel", description = "Any state before an end to CANCELED. Devices of a started rollout "
            + "that are not yet installing get an empty signed assignment (director targets without the release), when "
            + "the rollout's order is still the one in force; installing ones finish and report. Audited.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "200", description = "The rollout",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RolloutView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public RolloutView cancel(@Parameter(description = "Rollout id") @PathParam("id") String id) {
        return rollouts.cancel(id);
    }

    @POST
    @Path("{id}/retry-failed")
    @Operation(summary = "Retry failed devices", description = "Of a RUNNING or PAUSED rollout: every device whose "
            + "action finally FAILED, TIMED_OUT or ROLLED_BACK gets a new signed order at once (a new action id, the "
            + "next `attempt` number); REFUSED devices (attack: or verify:) are not retried. The failures count as "
            + "open again, so the error budget judges them afresh. Audited.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "200", description = "The rollout",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RolloutView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public RolloutView retryFailed(@Parameter(description = "Rollout id") @PathParam("id") String id) {
        return rollouts.retryFailed(id);
    }
}
