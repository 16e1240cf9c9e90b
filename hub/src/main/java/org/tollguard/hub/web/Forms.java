package org.tollguard.hub.web;

import io.javalin.http.Context;

/** Reading query and form fields leniently: a missing or malformed number is the default, never an error page. */
final class Forms {
    private Forms() {}

    static int intParam(String text, int fallback) {
        if (text == null || !text.strip().matches("\\d{1,9}")) {
            return fallback;
        }
        return Integer.parseInt(text.strip());
    }

    static String text(Context ctx, String name) {
        String value = ctx.formParam(name);
        return value == null ? "" : value.strip();
    }
}
