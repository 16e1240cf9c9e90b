package org.tollguard.hub.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real RDAP server on 127.0.0.1 for tests (JDK HttpServer): {@code GET /ip/ADDRESS} answers the ip network that
 * holds the address, as registries do, with its abuse contact either at the top level (RIPE style) or nested in
 * the organisation's entity (ARIN style). It records every query, and can be told to fail.
 */
public final class RdapServer implements AutoCloseable {
    /** A network the server knows: {@code abuse} null means it names no abuse contact. */
    public record Network(String start, String end, String handle, String abuse, boolean nested) {}

    private final HttpServer server;
    private final List<Network> networks = new CopyOnWriteArrayList<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private volatile int failWith;

    public RdapServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/ip/", this::answer);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void add(Network network) {
        networks.add(network);
    }

    /** Every address asked about, in order. */
    public List<String> queries() {
        return List.copyOf(queries);
    }

    /** From now on, answer every query with this HTTP status (0: answer normally again). */
    public void failWith(int status) {
        failWith = status;
    }

    private void answer(HttpExchange exchange) throws IOException {
        String address = exchange.getRequestURI().getPath().substring("/ip/".length());
        queries.add(address);
        int status = failWith;
        String body;
        if (status != 0) {
            body = "{\"errorCode\": " + status + ", \"title\": \"test failure\"}";
        } else {
            Network n = networks.stream().filter(net -> contains(net, address)).findFirst().orElse(null);
            status = n == null ? 404 : 200;
            body = n == null ? "{\"errorCode\": 404, \"title\": \"not found\"}" : json(n);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/rdap+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String json(Network n) {
        String abuse = n.abuse() == null ? "" : """
                {"objectClassName": "entity", "handle": "ABUSE-%s", "roles": ["abuse"],
                 "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Abuse desk"],
                   ["email", {"type": "work"}, "text", "%s"]]]}""".formatted(n.handle(), n.abuse());
        String entities = n.nested()
                ? """
                  [{"objectClassName": "entity", "handle": "ORG-%s", "roles": ["registrant"],
                    "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Org"],
                      ["email", {}, "text", "noc@org.example"]]],
                    "entities": [%s]}]""".formatted(n.handle(), abuse)
                : "[" + abuse + "]";
        return """
                {"rdapConformance": ["rdap_level_0"], "objectClassName": "ip network", "handle": "%s",
                 "startAddress": "%s", "endAddress": "%s", "ipVersion": "v4", "name": "%s-NET",
                 "entities": %s}""".formatted(n.handle(), n.start(), n.end(), n.handle(), entities);
    }

    private static boolean contains(Network n, String address) {
        try {
            BigInteger a = new BigInteger(1, InetAddress.getByName(address).getAddress());
            return a.compareTo(new BigInteger(1, InetAddress.getByName(n.start()).getAddress())) >= 0
                    && a.compareTo(new BigInteger(1, InetAddress.getByName(n.end()).getAddress())) <= 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
