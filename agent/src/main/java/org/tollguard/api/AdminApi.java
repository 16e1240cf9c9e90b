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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.ban.BanControl;
import org.tollguard.config.ApiConfig;
import org.tollguard.config.Durations;
import org.tollguard.decision.Decision;

/**
 * The local admin API the CLI talks to: JSON over HTTP on loopback, every request carrying the token from the
 * token file. Routes: {@code GET /v1/bans}, {@code POST /v1/bans}, {@code DELETE /v1/bans/ADDRESS}; other
 * components add theirs with {@link #route}.
 */
public final class AdminApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final HttpServer server;
    private final ApiToken token;
    private final BanControl bans;
    private final Clock clock;

    public AdminApi(ApiConfig config, ApiToken token, BanControl bans, Clock clock) throws IOException {
        this.token = token;
        this.bans = bans;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(config.listen(), config.port()), 16);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "admin-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/v1/bans", this::bans);
        server.start();
        log.info("admin api listening address={} port={}", config.listen(), server.getAddress().getPort());
    }

    /** What a route answers: an HTTP status and a body written as JSON. */
    public record Response(int status, Object body) {}

    /** Handles the requests under one path prefix; throws IllegalArgumentException for a 400. */
    @FunctionalInterface
    public interface Route {
        /**
         * @param rest  the path after the prefix, without the leading '/', empty for the prefix itself
         * @param body  the request body, empty for none
         */
        Response handle(String method, String rest, byte[] body) throws Exception;
    }

    /** Serves {@code prefix} (e.g. {@code /v1/lists}) with the same token check and error answers as the bans. */
    public void route(String prefix, Route route) {
        server.createContext(prefix, x -> {
            try {
                if (!token.matchesHeader(x.getRequestHeaders().getFirst("Authorization"))) {
                    send(x, 401, Map.of("error", "missing or wrong API token"));
                    return;
                }
                String path = x.getRequestURI().getPath();
                String rest = path.length() > prefix.length() ? path.substring(prefix.length() + 1) : "";
                byte[] body;
                try (InputStream in = x.getRequestBody()) {
                    body = in.readAllBytes();
                }
                Response response = route.handle(x.getRequestMethod(), rest, body);
                send(x, response.status(), response.body());
            } catch (IllegalArgumentException e) {
                send(x, 400, Map.of("error", String.valueOf(e.getMessage())));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                send(x, 400, Map.of("error", "malformed request: " + e.getOriginalMessage()));
            } catch (Exception e) {
                log.error("admin api request failed path={} error=\"{}\"", x.getRequestURI(), e.toString());
                send(x, 500, Map.of("error", e.toString()));
            } finally {
                x.close();
            }
        });
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** A ban as the CLI shows it. */
    public record BanView(String address, String reason, String origin, String created, String expires,
                          Long remainingSeconds, Map<String, Object> evidence) {
        static BanView of(Decision d, Clock clock) {
            Duration left = d.remaining(clock.instant());
            return new BanView(d.target(), d.reason(), d.origin().id(), d.created().toString(),
                    d.expires() == null ? null : d.expires().toString(), left == null ? null : left.toSeconds(), d.evidence());
        }
    }

    /** What {@code tollguard ban} sends. */
    public record BanRequest(String address, String duration, String reason) {}

    private void bans(HttpExchange x) throws IOException {
        try {
            routeBans(x);
        } catch (IllegalArgumentException e) {
            send(x, 400, Map.of("error", String.valueOf(e.getMessage())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            send(x, 400, Map.of("error", "malformed request: " + e.getOriginalMessage()));
        } catch (RuntimeException e) {
            log.error("admin api request failed path={} error=\"{}\"", x.getRequestURI(), e.toString());
            send(x, 500, Map.of("error", e.toString()));
        } finally {
            x.close();
        }
    }

    private void routeBans(HttpExchange x) throws IOException {
        if (!token.matchesHeader(x.getRequestHeaders().getFirst("Authorization"))) {
            send(x, 401, Map.of("error", "missing or wrong API token"));
            return;
        }
        String path = x.getRequestURI().getPath();
        String rest = path.length() > "/v1/bans".length() ? path.substring("/v1/bans/".length()) : "";
        switch (x.getRequestMethod()) {
            case "GET" -> {
                List<BanView> list = bans.active().stream().map(d -> BanView.of(d, clock)).toList();
                send(x, 200, list);
            }
            case "POST" -> {
                BanRequest req;
                try (InputStream in = x.getRequestBody()) {
                    req = JSON.readValue(in, BanRequest.class);
                }
                Duration d = req.duration() == null || req.duration().equals("permanent") ? null : Durations.parse(req.duration());
                Decision decision = bans.ban(req.address(), d, req.reason(), "operator");
                send(x, 201, BanView.of(decision, clock));
            }
            case "DELETE" -> {
                if (rest.isEmpty()) {
                    send(x, 400, Map.of("error", "DELETE /v1/bans/ADDRESS"));
                    return;
                }
                String address = URLDecoder.decode(rest, StandardCharsets.UTF_8);
                String query = x.getRequestURI().getRawQuery();
                String reason = query != null && query.startsWith("reason=")
                        ? URLDecoder.decode(query.substring(7), StandardCharsets.UTF_8) : "unbanned by operator";
                int lifted = bans.unban(address, "operator", reason);
                send(x, 200, Map.of("address", address, "lifted", lifted));
            }
            default -> send(x, 405, Map.of("error", "method not allowed"));
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
