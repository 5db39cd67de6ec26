package dev.ota.deviceapi;

import dev.ota.error.ErrorBody;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The device side's error page (web.xml): whatever the container refuses before any of our code runs
 * (an address with an encoded '/', an unknown path, a method nobody answers) is answered with the
 * JSON error body like every other refusal, instead of Liberty's HTML page with the exception and a
 * stack frame. Asked for directly, it is simply not found.
 */
@WebServlet("/error")
public class ErrorPage extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Integer status = (Integer) request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        send(response, ErrorBody.forStatus(status == null ? HttpServletResponse.SC_NOT_FOUND : status, null));
    }

    /** Writes one error response of the device side. */
    static void send(HttpServletResponse response, ErrorBody body) throws IOException {
        response.setHeader("X-Content-Type-Options", FileServlet.NOSNIFF);
        response.setStatus(body.status());
        response.setContentType(ErrorBody.CONTENT_TYPE);
        response.getWriter().write(body.json());
    }
}
