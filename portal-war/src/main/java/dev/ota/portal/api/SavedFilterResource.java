package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.fleet.DevicePage;
import dev.ota.fleet.Inventory;
import dev.ota.fleet.SavedFilterView;
import dev.ota.fleet.SavedFilters;
import dev.ota.tuf.json.JsonValue;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Saved device filters (groups): named filters that assignments and rollouts target. */
@Path("filters")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "filters", description = "Saved device filters (groups)")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class SavedFilterResource {
    @EJB
    private SavedFilters filters;

    /** {@code filter}: the fields of a device filter, as the device list's query parameters name them. */
    public record NewFilter(String name,
                            @Schema(ref = "DeviceFilter") JsonValue.JsonObject filter) {
    }

    public record FilterChange(@Schema(ref = "DeviceFilter") JsonValue.JsonObject filter) {
    }

    public record FilterList(List<SavedFilterView> filters) {
    }

    @GET
    @Operation(summary = "List saved filters", description = "Every saved filter, by name.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The filters",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "FilterList")))
    public FilterList list() {
        return new FilterList(filters.list());
    }

    @POST
    @Operation(summary = "Save a filter", description = "`filter` takes the fields hardwareId, status, tags (all "
            + "present), attributes (name: value, all equal), installedRelease, state, lastCheckinBefore, "
            + "lastCheckinAfter, idPrefix, text; an unknown field is refused by name. `{}` matches every device. "
            + "Names are 1 to 64 letters, digits and . _ -. Audited.")
    @SecurityRequirement(name = "basic", scopes = Roles.ADMINISTRATOR)
    @SecurityRequirement(name = "bearer", scopes = Roles.ADMINISTRATOR)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NewFilter.class)))
    @APIResponse(responseCode = "201", description = "Saved",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "SavedFilterView")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response create(NewFilter request) {
        SavedFilterView saved = filters.create(request == null ? null : request.name(),
                request == null ? null : request.filter());
        return Response.status(201).entity(saved).build();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Show a saved filter", description = "The filter and who saved it when.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The filter",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "SavedFilterView")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public SavedFilterView get(@Parameter(description = "Filter name") @PathParam("name") String name) {
        return filters.get(name);
    }

    @PUT
    @Path("{name}")
    @Operation(summary = "Replace a saved filter", description = "The same fields as when saving. Audited.")
    @SecurityRequirement(name = "basic", scopes = Roles.ADMINISTRATOR)
    @SecurityRequirement(name = "bearer", scopes = Roles.ADMINISTRATOR)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = FilterChange.class)))
    @APIResponse(responseCode = "200", description = "Replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "SavedFilterView")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public SavedFilterView replace(@Parameter(description = "Filter name") @PathParam("name") String name,
                                   FilterChange change) {
        return filters.replace(name, change == null ? null : change.filter());
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a saved filter", description = "Audited.")
    @SecurityRequirement(name = "basic", scopes = Roles.ADMINISTRATOR)
    @SecurityRequirement(name = "bearer", scopes = Roles.ADMINISTRATOR)
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response delete(@Parameter(description = "Filter name") @PathParam("name") String name) {
        filters.delete(name);
        return Response.noContent().build();
    }

    @GET
    @Path("{name}/devices")
    @Operation(summary = "Devices a saved filter matches now", description = "Keyset-paged in device-id order as "
            + "the device list: pass `next` as `after`.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "One page of matching devices",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DevicePage")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public DevicePage devices(@Parameter(description = "Filter name") @PathParam("name") String name,
            @Parameter(description = "At most this many devices (1 to 500)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
            @QueryParam("limit") @DefaultValue("50") String limit,
            @Parameter(description = "The previous page's next") @QueryParam("after") String after,
            @Parameter(description = "true to add the number of matching devices",
                    schema = @Schema(type = SchemaType.BOOLEAN))
            @QueryParam("count") @DefaultValue("false") String count) {
        return filters.devices(name, after, QueryNumbers.parse("limit", limit, 1, Inventory.MAX_LIMIT),
                InventoryResource.bool("count", count));
    }
}
