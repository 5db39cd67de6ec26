package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord;
import jakarta.ejb.EJB;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit log for auditors: newest entries, and whether the hash chain is intact. */
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "The append-only, hash-chained audit log")
@SecurityRequirement(name = "basic", scopes = {Roles.AUDITOR, Roles.ADMINISTRATOR, Roles.SECURITY_OFFICER})
@SecurityRequirement(name = "bearer", scopes = {Roles.AUDITOR, Roles.ADMINISTRATOR, Roles.SECURITY_OFFICER})
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class AuditResource {
    @EJB
    private AuditLog audit;

    /** {@code firstBrokenEntry} is absent while the chain is intact. */
    public record Verification(boolean intact, Long firstBrokenEntry) {
    }

    @GET
    @Operation(summary = "Newest audit entries", description = "Who did what, when, and with what outcome; refused "
            + "attempts included.")
    @APIResponse(responseCode = "200", description = "The entries, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "AuditRecordList")))
    public List<AuditRecord> newest(
            @Parameter(description = "At most this many entries (1 to 1000)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000"))
            @QueryParam("limit") @DefaultValue("100") String limit) {
        return audit.newest(QueryNumbers.parse("limit", limit, 1, 1000));
    }

    @GET
    @Path("verification")
    @Operation(summary = "Verify the audit hash chain", description = "Recomputes every entry's hash and its link to "
            + "the previous one.")
    @APIResponse(responseCode = "200", description = "Whether the chain is intact, else the first broken entry",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Verification.class)))
    public Verification verify() {
        return audit.firstBrokenEntry().map(seq -> new Verification(false, seq)).orElse(new Verification(true, null));
    }
}
