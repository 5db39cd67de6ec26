package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.audit.AuditFilter;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord;
import dev.ota.audit.ChainVerification;
import dev.ota.portal.audit.AuditExport;
import dev.ota.portal.audit.AuditQuery;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The audit log for auditors: entries by actor, action, subject and time, a page at a time or exported
 * whole as CSV or JSON, and whether the hash chain is intact. Every read is itself recorded (who read
 * or exported which filter), by the audit service.
 */
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "The append-only, hash-chained audit log")
@SecurityRequirement(name = "basic", scopes = {Roles.AUDITOR, Roles.ADMINISTRATOR, Roles.SECURITY_OFFICER})
@SecurityRequirement(name = "bearer", scopes = {Roles.AUDITOR, Roles.ADMINISTRATOR, Roles.SECURITY_OFFICER})
@APIResponse(responseCode = "400", ref = "BadRequest")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class AuditResource {
    @EJB
    private AuditLog audit;

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(summary = "Audit entries, filtered", description = "Who did what, when, and with what outcome; refused "
            + "attempts included (outcome DENIED). Newest first. Without `format`: one page of at most `limit` "
            + "entries; the next page is asked for with `before` set to the last entry's `seq`. With `format`: "
            + "every matching entry, streamed as CSV (cells that a spreadsheet would run as a formula start with "
            + "an apostrophe) or as a JSON array. Each call, every page, is recorded in the log "
            + "(`audit.search` or `audit.export`, with the filter).")
    @APIResponse(responseCode = "200", description = "The entries, newest first",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "AuditRecordList")),
                @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING,
                        description = "seq,recorded_at,actor,action,subject,outcome,detail; RFC 4180"))})
    public Response entries(
            @Parameter(description = "Exactly this account name (or `system`, `anonymous`)")
            @QueryParam("actor") String actor,
            @Parameter(description = "Exactly this action, e.g. `auth.forbidden`") @QueryParam("action") String action,
            @Parameter(description = "Exactly this subject") @QueryParam("subject") String subject,
            @Parameter(description = "Recorded at or after this UTC time",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("from") String from,
            @Parameter(description = "Recorded before this UTC time",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("to") String to,
            @Parameter(description = "Export every matching entry in this format instead of a page",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"csv", "json"}))
            @QueryParam("format") String format,
            @Parameter(description = "A page: at most this many entries (1 to 1000, default 100)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000"))
            @QueryParam("limit") String limit,
            @Parameter(description = "A page: only entries with a smaller `seq` (the next page)",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"))
            @QueryParam("before") String before) {
        AuditFilter filter = AuditQuery.filter(actor, action, subject, from, to);
        if (format != null) {
            AuditExport.Format f = AuditExport.Format.parse(format);
            long olderThan = audit.openRead("audit.export", filter);
            StreamingOutput body = out -> AuditExport.write(f, filter, olderThan, audit::entries, out);
            return Response.ok(body, f.mediaType())
                    .header("Content-Disposition", "attachment; filename=\"" + f.fileName() + "\"").build();
        }
        int pageSize = limit == null ? 100 : QueryNumbers.parse("limit", limit, 1, 1000);
        // Every page read is recorded, the later ones too: a "before" above the head would otherwise read the
        // newest entries without leaving a trace.
        long asked = before == null ? Long.MAX_VALUE : QueryNumbers.parseLong("before", before, 1, Long.MAX_VALUE);
        long olderThan = Math.min(asked, audit.openRead("audit.search", filter));
        List<AuditRecord> page = audit.entries(filter, olderThan, pageSize);
        return Response.ok(page, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("verification")
    @Operation(summary = "Verify the audit hash chain", description = "Recomputes every entry's hash and its link to "
            + "the previous one, oldest first, up to the chain's head. Intact: how many entries were checked. "
            + "Broken: the first broken entry, which stored value disagreed, what was expected and what was found. "
            + "The verification is recorded in the log (`audit.verify`).")
    @APIResponse(responseCode = "200", description = "Whether the chain is intact, else the first broken entry",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ChainVerification")))
    public ChainVerification verify() {
        return audit.verifyChain();
    }
}
