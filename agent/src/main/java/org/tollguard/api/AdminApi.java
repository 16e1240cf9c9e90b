package org.tollguard.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.config.ApiConfig;

/**
 * The local admin API the CLI talks to: JSON over HTTP on loopback, every request carrying the token from the
 * token file. Resources are {@link Route}s under a path prefix ({@code /v1/bans}, {@code /v1/calls}, ...).
 */
public final class AdminApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    private static final int MAX_BODY = 1 << 20;
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(org.tollguard.config.ConfigLoader.valueModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final HttpServer server;
    private final ApiToken token;

    public AdminApi(ApiConfig config, ApiToken token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(config.listen(), config.port()), 16);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "admin-api");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        log.info("admin api listening address={} port={}", config.listen(), server.getAddress().getPort());
    }

    /** Serves {@code route} under {@code prefix}, e.g. {@code /v1/bans}. */
    public AdminApi route(String prefix, Route route) {
        server.createContext(prefix, x -> serve(x, prefix, route));
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange x, String prefix, Route route) throws IOException {
        try (x) {
            if (!token.matchesHeader(x.getRequestHeaders().getFirst("Authorization"))) {
                send(x, 401, Map.of("error", "missing or wrong API token"));
                return;
            }
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readNBytes(MAX_BODY);
            }
            ApiRequest request = ApiRequest.of(x.getRequestMethod(), prefix, x.getRequestURI().getPath(),
                    x.getRequestURI().getRawQuery(), body);
            Object answer;
            try {
                answer = route.handle(request);
            } catch (ApiException e) {
                send(x, e.status(), Map.of("error", e.getMessage()));
                return;
            } catch (IllegalArgumentException e) {
                send(x, 400, Map.of("error", String.valueOf(e.getMessage())));
                return;
            } catch (RuntimeException e) {
                log.error("admin api request failed path={} error=\"{}\"", x.getRequestURI(), e.toString());
                send(x, 500, Map.of("error", e.toString()));
                return;
            }
            send(x, 200, answer);
        }
    }

    private static void send(HttpExchange x, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
