package org.tollguard.alerts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.net.URI;

/**
 * Prints a URL with everything after the first path segment masked: webhook URLs (Slack's
 * {@code /services/T000/B000/XXXX}) carry their secret in the path and query.
 */
final class MaskedUrl extends JsonSerializer<String> {
    @Override
    public void serialize(String value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeString(mask(value));
    }

    static String mask(String url) {
        try {
            URI u = URI.create(url);
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            int second = path.indexOf('/', 1);
            boolean hidden = second >= 0 && second < path.length() - 1 || u.getRawQuery() != null;
            String kept = second >= 0 ? path.substring(0, second + 1) : path;
            return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "") + kept + (hidden ? "********" : "");
        } catch (IllegalArgumentException e) {
            return "********";
        }
    }
}
