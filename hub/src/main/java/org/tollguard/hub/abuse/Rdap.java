package org.tollguard.hub.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * An RDAP client for IP networks (RFC 9082/9083): {@code GET BASE/ip/ADDRESS}, redirects followed (rdap.org sends
 * each query on to the registry that holds the address), and the abuse contact found in the answer's entities
 * (nested ones too, as ARIN nests the abuse entity under the organisation).
 */
public final class Rdap {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Duration timeout;
    private final HttpClient http;

    public Rdap(String base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The network holding {@code address} and its abuse contact; throws if RDAP could not be asked or answered badly. */
    public AbuseContact lookup(String address) throws IOException {
        URI uri = URI.create(base + "/ip/" + address);
        HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Accept", "application/rdap+json, application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + uri, e);
        }
        if (answer.statusCode() == 404) {
            return new AbuseContact(address, address, null, null, null);
        }
        if (answer.statusCode() != 200) {
            throw new IOException("RDAP " + uri + " answered " + answer.statusCode());
        }
        JsonNode network;
        try {
            network = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new IOException("RDAP " + uri + " answered with something that is not JSON: " + e.getMessage(), e);
        }
        if (!network.isObject() || !"ip network".equals(network.path("objectClassName").asText())) {
            throw new IOException("RDAP " + uri + " did not answer with an ip network object");
        }
        String start = network.path("startAddress").asText(address);
        String end = network.path("endAddress").asText(start);
        return new AbuseContact(start, end, text(network, "handle"), text(network, "name"),
                abuseEmail(network.path("entities")).orElse(null));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText().strip();
    }

    /** The first e-mail of an entity with the abuse role, looking into nested entities as well. */
    static Optional<String> abuseEmail(JsonNode entities) {
        for (JsonNode entity : entities) {
            boolean abuse = false;
            for (JsonNode role : entity.path("roles")) {
                abuse |= "abuse".equalsIgnoreCase(role.asText());
            }
            if (abuse) {
                Optional<String> email = vcardEmail(entity.path("vcardArray"));
                if (email.isPresent()) {
                    return email;
                }
            }
            Optional<String> nested = abuseEmail(entity.path("entities"));
            if (nested.isPresent()) {
                return nested;
            }
        }
        return Optional.empty();
    }

    /** jCard (RFC 7095): {@code ["vcard", [["email", {}, "text", "abuse@example.net"], ...]]}. */
    private static Optional<String> vcardEmail(JsonNode vcard) {
        for (JsonNode property : vcard.path(1)) {
            if ("email".equalsIgnoreCase(property.path(0).asText()) && property.path(3).isTextual()) {
                String email = property.path(3).asText().strip();
                if (email.matches("[^@\\s<>]+@[^@\\s<>]+")) {
                    return Optional.of(email);
                }
            }
        }
        return Optional.empty();
    }
}
