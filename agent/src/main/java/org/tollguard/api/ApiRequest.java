package org.tollguard.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One admin API request, as a route sees it.
 *
 * @param rest the path after the route's prefix, URL-decoded, without a leading slash ("" for the prefix itself)
 */
public record ApiRequest(String method, String rest, Map<String, String> query, byte[] body) {

    static ApiRequest of(String method, String prefix, String path, String rawQuery, byte[] body) {
        String rest = path.length() > prefix.length() ? path.substring(prefix.length()).replaceFirst("^/", "") : "";
        Map<String, String> query = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        return new ApiRequest(method, decode(rest), Map.copyOf(query), body);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The JSON body as {@code type}; a malformed body is the client's error. */
    public <T> T bodyAs(Class<T> type) {
        try {
            return AdminApi.JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed request: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "unreadable request: " + e.getMessage());
        }
    }

    /**
     * Who an operator request comes from, as the CLI reports it (the Unix user running it); a caller that does not
     * say (a script with the token) is recorded as such.
     */
    public static String operator(String by) {
        if (by == null || by.isBlank()) {
            return "api client (unnamed)";
        }
        String clean = by.strip().replaceAll("[\\p{Cntrl}]", "");
        if (clean.length() > 64) {
            throw new ApiException(400, "by: longer than 64 characters");
        }
        return clean;
    }

    public String query(String name, String fallback) {
        return query.getOrDefault(name, fallback);
    }
}
