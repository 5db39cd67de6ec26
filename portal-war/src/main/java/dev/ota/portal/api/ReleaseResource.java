package dev.ota.portal.api;

import dev.ota.account.Roles;
import dev.ota.release.ImportResult;
import dev.ota.release.ReleaseImport;
import dev.ota.release.ReleasePaths;
import dev.ota.release.ReleaseUpload;
import dev.ota.release.ReleaseView;
import dev.ota.release.Releases;
import jakarta.ejb.EJB;
import jakarta.servlet.http.HttpServletResponse;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Releases. An upload is the raw file as the request body ({@code application/octet-stream}),
 * described by query parameters: {@code path} (target path), {@code version}, {@code hardwareId}
 * (repeatable), {@code releaseCounter} (optional: the server assigns the next one) and {@code custom} (a JSON
 * object). The body is streamed, never held in memory.
 * The roles in the OpenAPI annotations repeat those {@link Releases} enforces, for readers only.
 */
@Path("releases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "releases", description = "Upload, list and withdraw the files the TUF repository publishes")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class ReleaseResource {
    @EJB
    private Releases releases;

    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Upload and publish a release",
            description = "Streams the request body into the blob store and publishes it as a TUF target in the same "
                    + "call: the target is listed in its hash bin, and new snapshot and timestamp versions are "
                    + "signed. The target's `custom` carries `version`, `hardwareIds` and `releaseCounter`, which "
                    + "devices check. Release counters increase strictly per product line (releases sharing a hardware "
                    + "id): without `releaseCounter` the release gets 1 + the highest counter any release for any of "
                    + "its hardware ids ever used, removed ones included; a given counter not above that one is "
                    + "refused (409 `release.counter-not-above`, the message names it) and nothing is stored. "
                    + "Example: `curl -u user:password -H 'Content-Type: application/octet-stream' "
                    + "--data-binary @image.bin '.../releases?path=firmware/gw/image-1.0.bin&version=1.0"
                    + "&hardwareId=gw-a'`.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "201", description = "Published; `Location` names the new release.",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "ReleaseView")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    public Response upload(
            @Parameter(description = "Target path in the repository; " + ReleasePaths.RULE + ". A path that "
                    + "differs from a listed one only in letter case is refused (`release.path-confusable`).",
                    required = true, example = "firmware/gw/image-1.0.bin") @QueryParam("path") String path,
            @Parameter(description = "Release version, written to the target's `custom.version`", required = true,
                    example = "1.0.0") @QueryParam("version") String version,
            @Parameter(description = "Hardware the file installs on (repeat the parameter for several, at most 16, "
                    + "each 1 to 100 characters of letters, digits, '.', '_', ':' and '-'); written to "
                    + "`custom.hardwareIds`", example = "gw-a") @QueryParam("hardwareId") List<String> hardwareIds,
            @Parameter(description = "Release counter, 1 to 2^53 - 1, above every counter the product line used "
                    + "(else 409 `release.counter-not-above`); absent: the next one. Written to "
                    + "`custom.releaseCounter`; a `releaseCounter` inside `custom` is still read as this parameter.",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"))
            @QueryParam("releaseCounter") String releaseCounter,
            @Parameter(description = "More `custom` fields as a JSON object (URL-encoded; no fractions, integers "
                    + "within +/-(2^53 - 1) and no sibling keys that tuf-js would sort differently, so that every "
                    + "TUF client verifies the bin: `release.custom-not-portable`)",
                    example = "{\"channel\":\"stable\"}") @QueryParam("custom") String custom,
            @Parameter(description = "Length of the body as every HTTP client sends it; a body of another length is "
                    + "refused (`release.truncated`), and so is a value that is not decimal digits, a negative one "
                    + "above all (`release.invalid-length`)", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "0")) @HeaderParam("Content-Length") String contentLength,
            @Parameter(hidden = true) @HeaderParam("Transfer-Encoding") String transferEncoding,
            @RequestBody(required = true, description = "The file itself, streamed",
                    content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                            schema = @Schema(type = SchemaType.STRING, format = "binary"))) InputStream body,
            @Context UriInfo uri, @Context HttpServletResponse response) {
        long declared = declaredLength(contentLength, transferEncoding, response);
        ReleaseView created = releases.upload(new ReleaseUpload(path, version, hardwareIds,
                QueryNumbers.optionalLong("releaseCounter", releaseCounter), custom, declared), body);
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
    @Operation(summary = "Import many releases from a tar archive, in one publish",
            description = "Every regular file of the POSIX tar stream (ustar, pax or GNU) becomes a release under "
                    + "its name in the archive (a leading `./` dropped); directories are skipped, links and devices "
                    + "refused. An optional first entry `.ota-manifest.ndjson` gives per-file `version`, "
                    + "`hardwareIds`, `releaseCounter` and `custom`, one JSON object with a `path` per line. A file "
                    + "without `releaseCounter` gets the next one of its product line, in archive order; a given one "
                    + "must be above the line's highest (archive entries before it included). Each file is checked like "
                    + "a single upload; any refused entry, or a truncated archive, refuses the whole import with a "
                    + "message naming the entry, and nothing is stored or published. Example: `tar -C catalogue "
                    + "-cf - . | curl -u user:password -H 'Content-Type: application/x-tar' --data-binary @- "
                    + "'.../releases/import?version=1.0&hardwareId=gw-a'`.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "200", description = "Published; what the one publish listed and signed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "ImportResult")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    public ImportResult importArchive(
            @Parameter(description = "Default release version of every file", example = "1.0.0")
            @QueryParam("version") String version,
            @Parameter(description = "Default hardware ids of every file (repeat the parameter for several)",
                    example = "gw-a") @QueryParam("hardwareId") List<String> hardwareIds,
            @Parameter(description = "Default `custom` fields of every file, a URL-encoded JSON object",
                    example = "{\"channel\":\"stable\"}") @QueryParam("custom") String custom,
            @RequestBody(required = true, description = "The tar archive, streamed",
                    content = @Content(mediaType = "application/x-tar",
                            schema = @Schema(type = SchemaType.STRING, format = "binary"))) InputStream body,
            @Parameter(hidden = true) @HeaderParam("Content-Length") String contentLength,
            @Parameter(hidden = true) @HeaderParam("Transfer-Encoding") String transferEncoding,
            @Context HttpServletResponse response) {
        // A malformed length reads as an empty archive, which the import refuses as truncated.
        declaredLength(contentLength, transferEncoding, response);
        return releases.importArchive(new ReleaseImport(version, hardwareIds, custom), body);
    }

    /**
     * The length a request announces ({@link ReleaseUpload#declaredLength(String, String)}). When it is
     * malformed the container did not take the body as this request's (a negative length reads as none), so
     * the bytes sent would be parsed as the next request on the connection: the refusal that follows must end it.
     */
    private static long declaredLength(String contentLength, String transferEncoding, HttpServletResponse response) {
        long declared = ReleaseUpload.declaredLength(contentLength, transferEncoding);
        if (declared == ReleaseUpload.MALFORMED_DECLARATION) {
            response.setHeader("Connection", "close");
        }
        return declared;
    }

    @GET
    @Operation(summary = "List releases, newest first", description = "Removed releases are listed too, with "
            + "`removedAt` set.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR,
            Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR,
            Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "The releases",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "ReleaseList")))
    public List<ReleaseView> list(
            @Parameter(description = "Releases to skip", schema = @Schema(type = SchemaType.INTEGER, minimum = "0"))
            @QueryParam("offset") @DefaultValue("0") String offset,
            @Parameter(description = "At most this many (1 to 1000)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000"))
            @QueryParam("limit") @DefaultValue("100") String limit) {
        return releases.list(QueryNumbers.parse("offset", offset, 0, Integer.MAX_VALUE),
                QueryNumbers.parse("limit", limit, 1, 1000));
    }

    @GET
    @Path("{id: [0-9]{1,18}}")
    @Operation(summary = "One release")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR,
            Roles.SECURITY_OFFICER})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR,
            Roles.SECURITY_OFFICER})
    @APIResponse(responseCode = "200", description = "The release",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "ReleaseView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ReleaseView show(@Parameter(description = "Release id") @PathParam("id") long id) {
        return releases.show(id);
    }

    /**
     * Rollback as a re-release (fleet.md): the bytes of an existing release published again under a new path with
     * the next release counter of its product line and {@code custom.rollbackOf}.
     */
    @POST
    @Path("{id: [0-9]{1,18}}/rollback")
    @Operation(summary = "Roll back to a release, as a re-release",
            description = "Publishes the bytes of release `id` again as a new release: under `targetPath` if the "
                    + "query gives one, else a derived path (`lock-fw/1.4.0.bin` -> `lock-fw/1.4.0-rb1.bin`, the "
                    + "first number no release ever used), with the same version text and hardware ids, the next "
                    + "release counter of its product line and `custom.rollbackOf` = the original's path. Devices "
                    + "running a higher counter than the original accept it (they refuse a lower counter), so the "
                    + "director may assign it to them. Audited as `release.rollback`. Example: `curl -u "
                    + "user:password -X POST '.../releases/42/rollback'` (no body).")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "201", description = "Published; `Location` names the new release.",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "ReleaseView")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response rollback(@Parameter(description = "Id of the release whose bytes to publish again")
                             @PathParam("id") long id,
                             @Parameter(description = "The new target path; absent: derived from the original's",
                                     example = "lock-fw/1.4.0-rb1.bin") @QueryParam("targetPath") String targetPath,
                             @Context UriInfo uri) {
        ReleaseView created = releases.rollback(id, targetPath);
        return Response.created(uri.getBaseUriBuilder().path("releases").path(String.valueOf(created.id())).build())
                .entity(created).build();
    }

    /** Stops publishing the release's target; its history (and older metadata) stays. */
    @DELETE
    @Path("{id: [0-9]{1,18}}")
    @Operation(summary = "Withdraw a release", description = "Removes the target from its hash bin and publishes new "
            + "snapshot and timestamp versions. Older metadata stays served, so clients holding older snapshots "
            + "still verify; the release stays listed with `removedAt`.")
    @SecurityRequirement(name = "basic", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @APIResponse(responseCode = "200", description = "The release as removed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "ReleaseView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public ReleaseView remove(@Parameter(description = "Release id") @PathParam("id") long id) {
        return releases.remove(id);
    }
}
