package dev.ota.deviceapi;

import dev.ota.repository.ServedFiles;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

/** {@code /targets/<dir>/<sha256>.<name>}: target bytes under their consistent-snapshot names. */
@Path("targets")
public class TargetsResource {
    @EJB
    private ServedFiles files;

    @GET
    @Path("{path: .+}")
    public Response target(@PathParam("path") String path, @Context Request request) {
        return FileResponses.of(files.target(path), request, "/targets/" + path, 0);
    }
}
