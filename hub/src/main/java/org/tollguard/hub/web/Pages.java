package org.tollguard.hub.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.Map;

/** Renders the templates of src/main/jte (compiled at build time) into a response. */
final class Pages {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    /** A page that says what went wrong with the form, with the status, and a way back. */
    void problem(Context ctx, HttpStatus status, String message) {
        ctx.status(status);
        render(ctx, "problem.jte", "Not done", "", Map.of("message", message, "back", backPath(ctx)));
    }

    private static String backPath(Context ctx) {
        try {
            String referer = ctx.header("Referer");
            return LoginPages.safeNext(referer == null ? null : java.net.URI.create(referer).getPath());
        } catch (IllegalArgumentException e) {
            return LoginPages.safeNext(null);
        }
    }

    void render(Context ctx, String template, String title, String active, Map<String, Object> params) {
        WebSession session = WebAccess.optionalSession(ctx).orElse(null);
        PageFrame frame = new PageFrame(title, active, session == null ? null : session.user(),
                session == null ? "" : session.csrfToken(), Notices.text(ctx.queryParam("done"), ctx.queryParam("n")));
        Map<String, Object> all = new HashMap<>(params);
        all.put("frame", frame);
        StringOutput out = new StringOutput();
        engine.render(template, all, out);
        ctx.html(out.toString());
    }
}
