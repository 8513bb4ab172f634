package dev.serval.kernel.http;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.StatisticsHandler;

/**
 * A listener's requests in flight, asynchronous answers included until their last byte is sent,
 * which a stop waits for: Jetty's {@link StatisticsHandler} (in place of the one Javalin inserts),
 * whose graceful shutdown completes once none is left. While it drains, a new request on a
 * connection already open is answered 503 in TorchServe's JSON with {@code Connection: close},
 * but a probe is still answered, saying that the server is not ready.
 */
final class GracefulStop extends StatisticsHandler {

    /** Answered during the drain, Unhealthy, rather than refused: probes tell why the server is leaving. */
    static final Set<String> PROBES = Set.of("/ping", "/v2/health/live", "/v2/health/ready");

    private static final byte[] STOPPING = stopping();

    @Override
    public void handle(String path, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (!isShutdown() || getHandler() == null) {
            super.handle(path, baseRequest, request, response);
            return;
        }
        if (PROBES.contains(path)) {
            getHandler().handle(path, baseRequest, request, response);
            return;
        }
        baseRequest.setHandled(true);
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader(HttpHeader.CONNECTION.asString(), HttpHeaderValue.CLOSE.asString());
        response.setContentType("application/json");
        response.setContentLength(STOPPING.length);
        response.getOutputStream().write(STOPPING);
    }

    private static byte[] stopping() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        body.put("type", "ServiceUnavailableException");
        body.put("message", "Serval is shutting down; retry on another replica");
        try {
            return ApiServer.JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
