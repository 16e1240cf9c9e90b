package org.tollguard.hub.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;

/** Renders the templates of src/main/jte (compiled at build time) into a response. */
final class Pages {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

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
