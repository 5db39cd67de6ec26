package dev.ota.portal.api;

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

/** The audit log for auditors: newest entries, and whether the hash chain is intact. */
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    @EJB
    private AuditLog audit;

    public record Verification(boolean intact, Long firstBrokenEntry) {
    }

    @GET
    public List<AuditRecord> newest(@QueryParam("limit") @DefaultValue("100") int limit) {
        return audit.newest(limit);
    }

    @GET
    @Path("verification")
    public Verification verify() {
        return audit.firstBrokenEntry().map(seq -> new Verification(false, seq)).orElse(new Verification(true, null));
    }
}
