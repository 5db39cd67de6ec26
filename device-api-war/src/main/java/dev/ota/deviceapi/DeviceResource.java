package dev.ota.deviceapi;

import dev.ota.error.ErrorBody;
import dev.ota.error.ErrorKind;
import dev.ota.fleet.Checkins;
import dev.ota.fleet.DeviceConfigs;
import dev.ota.fleet.EnrollmentResult;
import dev.ota.fleet.Enrollments;
import dev.ota.fleet.FleetSettings;
import dev.ota.fleet.KeyRotations;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The device protocol of device-api.md over HTTP: enrollment, check-ins, configuration backup and key rotation.
 * Bodies are read here (at most 64 KiB) and handed as bytes to the fleet services, which verify signatures
 * over exactly those bytes. Check-ins pass a bounded gate: beyond it a device is told to come back later.
 */
@Path("devices/v1")
@ApplicationScoped
public class DeviceResource {
    @EJB
    private Enrollments enrollments;

    @EJB
    private Checkins checkins;

    @EJB
    private DeviceConfigs configs;

    @EJB
    private KeyRotations keyRotations;

    private final ConcurrencyGate checkinGate = new ConcurrencyGate(FleetSettings.checkinConcurrency(),
            FleetSettings.checkinGateWaitMillis());

    @POST
    @Path("enrollments")
    public Response enroll(InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length) {
        EnrollmentResult result = enrollments.enroll(DeviceRequests.body(body, length));
        return json(result.created() ? 201 : 200, result.body());
    }

    @POST
    @Path("{deviceId}/checkins")
    public Response checkin(@PathParam("deviceId") String deviceId, InputStream body,
                            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length) {
        byte[] bytes = DeviceRequests.body(body, length);
        if (!checkinGate.tryEnter()) {
            long retry = FleetSettings.overloadRetryAfterSeconds();
            return Response.status(503).header("Retry-After", String.valueOf(retry)).type(ErrorBody.CONTENT_TYPE)
                    .entity(ErrorBody.of(ErrorKind.UNAVAILABLE, "server.busy", "the server is handling as many check-ins"
                            + " as it can; check in again after " + retry + " seconds").json()).build();
        }
        try {
            return json(200, checkins.checkin(deviceId, bytes));
        } finally {
            checkinGate.leave();
        }
    }

    @PUT
    @Path("{deviceId}/config")
    public Response putConfig(@PathParam("deviceId") String deviceId, InputStream body,
                              @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length) {
        long version = configs.put(deviceId, DeviceRequests.body(body, length));
        return json(200, ("{\"version\":" + version + "}").getBytes(StandardCharsets.UTF_8));
    }

    @GET
    @Path("{deviceId}/config")
    public Response getConfig(@PathParam("deviceId") String deviceId,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return json(200, configs.last(deviceId, DeviceRequests.bearer(authorization)));
    }

    @POST
    @Path("{deviceId}/keys")
    public Response rotateKey(@PathParam("deviceId") String deviceId, InputStream body,
                              @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length) {
        String keyId = keyRotations.rotate(deviceId, DeviceRequests.body(body, length));
        return json(200, ("{\"keyid\":\"" + keyId + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static Response json(int status, byte[] body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")).entity(body).build();
    }
}
