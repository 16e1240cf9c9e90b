package org.tollguard.blacklist;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/** A real HTTP server on 127.0.0.1 for list and report tests: each path answers what the test puts there. */
final class TestHub implements AutoCloseable {
    /** What a path answers. */
    @FunctionalInterface
    interface Route {
        void handle(HttpExchange x) throws IOException;
    }

    /** A request as the server saw it. */
    record Request(String method, String uri, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    TestHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "test-hub");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", x -> {
            try {
                byte[] body = x.getRequestBody().readAllBytes();
                requests.add(new Request(x.getRequestMethod(), x.getRequestURI().toString(), x.getRequestHeaders(), body));
                Route route = routes.get(x.getRequestURI().getPath());
                if (route == null) {
                    send(x, 404, "text/plain", "no route");
                } else {
                    route.handle(x);
                }
            } catch (IOException | RuntimeException e) {
                // the test provoked it (a truncated body, a closed connection)
            } finally {
                x.close();
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void route(String path, Route route) {
        routes.put(path, route);
    }

    List<Request> requestsTo(String path) {
        return requests.stream().filter(r -> r.uri().startsWith(path)).toList();
    }

    static void send(HttpExchange x, int status, String type, String body) throws IOException {
        send(x, status, type, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static void send(HttpExchange x, int status, String type, byte[] body, Map<String, String> headers)
            throws IOException {
        headers.forEach((k, v) -> x.getResponseHeaders().set(k, v));
        if (type != null) {
            x.getResponseHeaders().set("Content-Type", type);
        }
        if (status == 304 || body.length == 0) {
            x.sendResponseHeaders(status, -1);
            return;
        }
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /** Answers gzip-compressed if the client asked for it. */
    static void sendMaybeGzip(HttpExchange x, String type, String body, Map<String, String> headers) throws IOException {
        String accept = x.getRequestHeaders().getFirst("Accept-Encoding");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (accept != null && accept.contains("gzip")) {
            java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(bytes);
            }
            Map<String, String> h = new java.util.HashMap<>(headers);
            h.put("Content-Encoding", "gzip");
            send(x, 200, type, gz.toByteArray(), h);
        } else {
            send(x, 200, type, bytes, headers);
        }
    }

    /** Announces the length of {@code body}, sends only its first half, and hangs up. */
    static void sendTruncated(HttpExchange x, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(200, bytes.length);
        OutputStream out = x.getResponseBody();
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        throw new IOException("hang up mid-body");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
