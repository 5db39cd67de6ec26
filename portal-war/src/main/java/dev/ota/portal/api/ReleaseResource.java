package dev.ota.portal.api;

import dev.ota.repository.ImportResult;
import dev.ota.repository.ReleaseImport;
import dev.ota.repository.ReleaseUpload;
import dev.ota.repository.ReleaseView;
import dev.ota.repository.Releases;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.io.InputStream;
import java.util.List;

/**
 * Releases. An upload is the raw file as the request body ({@code application/octet-stream}),
 * described by query parameters: {@code path} (target path), {@code version}, {@code hardwareId}
 * (repeatable) and {@code custom} (a JSON object). The body is streamed, never held in memory.
 */
@Path("releases")
@Produces(MediaType.APPLICATION_JSON)
public class ReleaseResource {
    @EJB
    private Releases releases;

    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Response upload(@QueryParam("path") String path, @QueryParam("version") String version,
                           @QueryParam("hardwareId") List<String> hardwareIds, @QueryParam("custom") String custom,
                           @HeaderParam("Content-Length") @DefaultValue("-1") long contentLength,
                           InputStream body, @Context UriInfo uri) {
        ReleaseView created = releases.upload(new ReleaseUpload(path, version, hardwareIds, custom, contentLength), body);
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
                .entity(created).build();
    }

    /**
     * Bulk import: a tar archive ({@code application/x-tar}) whose regular files become releases
     * under their names in the archive, all in one publish or none. The query parameters are the
     * defaults for every file; an optional first entry {@code .ota-manifest.ndjson} describes files
     * one by one. The archive is streamed, never held in memory.
     */
    @POST
    @Path("import")
    @Consumes("application/x-tar")
    public ImportResult importArchive(@QueryParam("version") String version,
                                      @QueryParam("hardwareId") List<String> hardwareIds,
                                      @QueryParam("custom") String custom, InputStream body) {
        return releases.importArchive(new ReleaseImport(version, hardwareIds, custom), body);
    }

    @GET
    public List<ReleaseView> list(@QueryParam("offset") @DefaultValue("0") int offset,
                                  @QueryParam("limit") @DefaultValue("100") int limit) {
        return releases.list(offset, limit);
    }

    @GET
    @Path("{id: [0-9]{1,18}}")
    public ReleaseView show(@PathParam("id") long id) {
        return releases.show(id);
    }

    /** Stops publishing the release's target; its history (and older metadata) stays. */
    @DELETE
    @Path("{id: [0-9]{1,18}}")
    public ReleaseView remove(@PathParam("id") long id) {
        return releases.remove(id);
    }
}
