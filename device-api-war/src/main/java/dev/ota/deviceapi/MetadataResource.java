package dev.ota.deviceapi;

import dev.ota.repository.ServedFiles;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

/**
 * {@code /metadata/N.ROLE.json} for every version ever signed, and {@code /metadata/ROLE.json}
 * (above all {@code timestamp.json}) for the current one. HEAD is answered by JAX-RS from GET.
 */
@Path("metadata")
public class MetadataResource {
    private static final long CURRENT_MAX_AGE_SECONDS = 5;

    @EJB
    private ServedFiles files;

    @GET
    @Path("{name: .+}")
    public Response metadata(@PathParam("name") String name, @Context Request request) {
        return FileResponses.of(files.metadata(name), request, "/metadata/" + name, CURRENT_MAX_AGE_SECONDS);
    }
}
