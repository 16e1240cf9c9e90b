package org.tollguard.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/** A real HTTP server on 127.0.0.1 that records what is POSTed to it and answers with the statuses it is given. */
public final class WebhookServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    public record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> scripted = new ConcurrentLinkedQueue<>();
    private volatile IntSupplier status = () -> 200;

    public WebhookServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "test-webhook");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", x -> {
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.add(new Request(x.getRequestMethod(), x.getRequestURI().getPath(), Map.copyOf(x.getRequestHeaders()), body));
            Integer next = scripted.poll();
            int code = next != null ? next : status.getAsInt();
            byte[] answer = (code < 300 ? "ok" : "failing on purpose").getBytes();
            x.sendResponseHeaders(code, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests are answered with these statuses, in order; then the default. */
    public void answer(int... statuses) {
        for (int s : statuses) {
            scripted.add(s);
        }
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** Waits until at least {@code n} requests came in; returns them all. */
    public List<Request> await(int n, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (requests.size() < n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return requests();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
