package org.tollguard.hub.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The pages' own stylesheet and script, from the jar: the pages load nothing from the internet. */
final class StaticAssets {
    private static final Map<String, String> TYPES = Map.of(
            "hub.css", "text/css; charset=utf-8",
            "hub.js", "text/javascript; charset=utf-8");
    private final Map<String, byte[]> files;

    StaticAssets() {
        files = Map.of("hub.css", read("hub.css"), "hub.js", read("hub.js"));
    }

    void routes(RoutesConfig routes) {
        routes.get("/static/{file}", this::serve, WebRole.ANYONE);
    }

    private void serve(Context ctx) {
        String name = ctx.pathParam("file");
        byte[] body = files.get(name);
        if (body == null) {
            throw new NotFoundResponse("no such file");
        }
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType(TYPES.get(name)).result(body);
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticAssets.class.getResourceAsStream("/web/static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("web/static/" + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
