package org.tollguard.protocol;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a list signature vouches for besides the content, in its minisign trusted comment:
 * {@code kind:head list:community generation:42 created:2026-05-01T12:00:00Z expires:2026-05-02T12:00:00Z}.
 */
public record TrustedComment(ListFile kind, String list, long generation, Instant created, Instant expires) {
    /** List names are path segments and comment words: lower-case letters, digits and dashes. */
    public static final Pattern LIST_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public TrustedComment {
        if (!LIST_NAME.matcher(list).matches()) {
            throw new IllegalArgumentException("list name '" + list + "' is not lower-case letters, digits and dashes");
        }
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be 1 or more");
        }
        if (!expires.isAfter(created)) {
            throw new IllegalArgumentException("expires must be after created");
        }
    }

    public String text() {
        return "kind:" + kind.label() + " list:" + list + " generation:" + generation + " created:" + created
                + " expires:" + expires;
    }

    public static TrustedComment parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String word : text.split(" ")) {
            int colon = word.indexOf(':');
            if (colon < 1 || fields.put(word.substring(0, colon), word.substring(colon + 1)) != null) {
                throw new IllegalArgumentException("trusted comment '" + text + "' is not a tollguard list comment");
            }
        }
        try {
            return new TrustedComment(
                    ListFile.valueOf(required(fields, "kind", text).toUpperCase()),
                    required(fields, "list", text),
                    Long.parseLong(required(fields, "generation", text)),
                    Instant.parse(required(fields, "created", text)),
                    Instant.parse(required(fields, "expires", text)));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("trusted comment '" + text + "': " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> fields, String key, String text) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException("trusted comment '" + text + "' has no " + key);
        }
        return value;
    }
}
