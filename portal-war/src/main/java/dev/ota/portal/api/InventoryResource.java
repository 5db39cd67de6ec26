package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.fleet.ConfigDiff;
import dev.ota.fleet.DevicePage;
import dev.ota.fleet.DeviceSummary;
import dev.ota.fleet.Inventory;
import dev.ota.fleet.KeptConfig;
import dev.ota.fleet.ReportPage;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
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
 * The device inventory: the filtered, keyset-paged device list, a device's tags and attributes, its report
 * history and its kept configuration versions. Enrollment, status changes and a single device's full view
 * belong to the fleet resource (device-api.md).
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "inventory", description = "Devices listed by filter; tags, attributes, report history, configuration versions")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class InventoryResource {
    static final Set<String> PAGE_PARAMETERS = Set.of("limit", "after", "count");

    @EJB
    private Inventory inventory;

    public record TagsChange(List<String> tags) {
    }

    public record AttributesChange(Map<String, String> attributes) {
    }

    public record ConfigVersionList(List<KeptConfig> versions) {
    }

    public record ConfigProperties(long version, Map<String, String> properties) {
    }

    @GET
    @Path("devices")
    @Operation(summary = "List devices by filter", description = "A page of devices in device-id order. Filter "
            + "parameters (every one given must hold): hardwareId, status (PENDING, ACCEPTED, REJECTED, "
            + "DECOMMISSIONED), tag (repeat for several: all must be present), attribute (name=value, repeat), "
            + "installedRelease (target path some ECU last reported running), state (idle, busy, critical), "
            + "lastCheckinBefore, lastCheckinAfter (YYYY-MM-DDTHH:MM:SSZ), idPrefix, text (in the id, any case). "
            + "Unknown parameters are refused (400 naming it). Paging is by keyset: pass the answer's `next` as "
            + "`after` for the following page; no page costs more than the first. `count=true` adds how many "
            + "devices match in all, which reads every matching row.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @Parameter(name = "hardwareId", in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.QUERY,
            description = "Exactly this hardware id", schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "status", in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.QUERY,
            description = "PENDING, ACCEPTED, REJECTED or DECOMMISSIONED", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"PENDING", "ACCEPTED", "REJECTED", "DECOMMISSIONED"}))
    @Parameter(name = "tag", in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.QUERY,
            description = "A tag the device carries; repeat for several (all must be present)",
            schema = @Schema(type = SchemaType.ARRAY, implementation = String.class))
    @Parameter(name = "attribute", in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.QUERY,
            description = "name=value of an attribute; repeat for several",
            schema = @Schema(type = SchemaType.ARRAY, implementation = String.class))
    @Parameter(name = "installedRelease", in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.QUERY,
            description = "Target path some ECU of the device last reported running",
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "state", in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.QUERY,
            description = "idle, busy or critical as last reported", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"idle", "busy", "critical"}))
    @Parameter(name = "lastCheckinBefore", in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.QUERY,
            description = "Last check-in before this time (YYYY-MM-DDTHH:MM:SSZ)",
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    @Parameter(name = "lastCheckinAfter", in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.QUERY,
            description = "Last check-in at or after this time (YYYY-MM-DDTHH:MM:SSZ)",
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    @Parameter(name = "idPrefix", in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.QUERY,
            description = "The device id starts with this", schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "text", in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.QUERY,
            description = "The device id contains this, ignoring case", schema = @Schema(type = SchemaType.STRING))
    @APIResponse(responseCode = "200", description = "One page of matching devices",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DevicePage")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public DevicePage list(@Context UriInfo uri,
            @Parameter(description = "At most this many devices (1 to 500)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
            @QueryParam("limit") @DefaultValue("50") String limit,
            @Parameter(description = "The previous page's next: devices with ids after this one")
            @QueryParam("after") String after,
            @Parameter(description = "true to add the number of matching devices",
                    schema = @Schema(type = SchemaType.BOOLEAN))
            @QueryParam("count") @DefaultValue("false") String count) {
        return inventory.page(FilterQuery.read(uri.getQueryParameters(), PAGE_PARAMETERS), after,
                QueryNumbers.parse("limit", limit, 1, Inventory.MAX_LIMIT), bool("count", count));
    }

    @PUT
    @Path("devices/{deviceId}/tags")
    @Operation(summary = "Replace a device's tags", description = "The device carries exactly these tags afterwards "
            + "(at most 32; each 1 to 100 characters of letters, digits and . _ : -). Audited.")
    @SecurityRequirement(name = "basic", scopes = Roles.ADMINISTRATOR)
    @SecurityRequirement(name = "bearer", scopes = Roles.ADMINISTRATOR)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TagsChange.class)))
    @APIResponse(responseCode = "200", description = "The device with its new tags",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DeviceSummary")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public DeviceSummary replaceTags(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId,
                                     TagsChange change) {
        return inventory.replaceTags(deviceId, change == null ? null : change.tags());
    }

    @PUT
    @Path("devices/{deviceId}/attributes")
    @Operation(summary = "Replace a device's attributes", description = "Name to value (at most 32; names of letters, "
            + "digits and . _ -, values of 1 to 500 printable characters). `timeZone` must be a time zone id "
            + "java.time knows (Europe/Berlin, UTC); maintenance windows in the device's own time zone read it. "
            + "Audited.")
    @SecurityRequirement(name = "basic", scopes = Roles.ADMINISTRATOR)
    @SecurityRequirement(name = "bearer", scopes = Roles.ADMINISTRATOR)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AttributesChange.class)))
    @APIResponse(responseCode = "200", description = "The device with its new attributes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DeviceSummary")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public DeviceSummary replaceAttributes(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId,
                                           AttributesChange change) {
        return inventory.replaceAttributes(deviceId, change == null ? null : change.attributes());
    }

    @GET
    @Path("devices/{deviceId}/reports")
    @Operation(summary = "A device's report history", description = "Install journal entries as stored once each, "
            + "newest first; pass the answer's `next` as `before` for older ones.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "One page of reports",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ReportPage")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ReportPage reports(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId,
            @Parameter(description = "At most this many reports (1 to 500)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
            @QueryParam("limit") @DefaultValue("50") String limit,
            @Parameter(description = "The previous page's next", schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("before") String before) {
        Long b = before == null ? null : (long) QueryNumbers.parse("before", before, 1, Integer.MAX_VALUE);
        return inventory.reports(deviceId, b, QueryNumbers.parse("limit", limit, 1, Inventory.MAX_LIMIT));
    }

    @GET
    @Path("devices/{deviceId}/configs")
    @Operation(summary = "A device's configuration versions", description = "Every version of its basic properties "
            + "the server keeps, newest first.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The versions",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "ConfigVersionList")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ConfigVersionList configs(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId) {
        return new ConfigVersionList(inventory.configVersions(deviceId));
    }

    @GET
    @Path("devices/{deviceId}/configs/{version}")
    @Operation(summary = "One configuration version's properties", description = "Each top-level property with its "
            + "value as canonical JSON text, as the device signed it.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The properties",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ConfigProperties.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ConfigProperties config(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId,
            @Parameter(description = "Version", schema = @Schema(type = SchemaType.INTEGER))
            @PathParam("version") String version) {
        long v = QueryNumbers.parse("version", version, 1, Integer.MAX_VALUE);
        return new ConfigProperties(v, inventory.configProperties(deviceId, v));
    }

    @GET
    @Path("devices/{deviceId}/configs/diff")
    @Operation(summary = "Compare two configuration versions", description = "The top-level properties added, "
            + "removed and changed from version `from` to version `to` (values as canonical JSON text).")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The difference",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ConfigDiff")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ConfigDiff diff(@Parameter(description = "Device id") @PathParam("deviceId") String deviceId,
            @Parameter(description = "The older version", required = true, schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("from") String from,
            @Parameter(description = "The newer version", required = true, schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("to") String to) {
        if (from == null || to == null) {
            throw new OtaException("request.invalid-parameter", ErrorKind.INVALID_INPUT,
                    "query parameters 'from' and 'to' name the two versions to compare");
        }
        return inventory.configDiff(deviceId, QueryNumbers.parse("from", from, 1, Integer.MAX_VALUE),
                QueryNumbers.parse("to", to, 1, Integer.MAX_VALUE));
    }

    static boolean bool(String name, String value) {
        if (value.equals("true") || value.equals("false")) {
            return value.equals("true");
        }
        throw new OtaException("request.invalid-parameter", ErrorKind.INVALID_INPUT,
                "query parameter '" + name + "' must be true or false");
    }
}
