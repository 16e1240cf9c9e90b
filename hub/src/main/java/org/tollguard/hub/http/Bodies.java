package org.tollguard.hub.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** Request bodies read with a limit: an oversize request is refused before it is read whole. */
final class Bodies {
    private Bodies() {}

    static byte[] read(Context ctx, int maxBytes) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            throw new HttpProblem(415, "the body must be application/json, not " + (type == null ? "untyped" : type));
        }
        long declared = ctx.contentLength();
        if (declared > maxBytes) {
            throw new HttpProblem(413, "the body is " + declared + " bytes; at most " + maxBytes);
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw new HttpProblem(413, "the body is larger than " + maxBytes + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new HttpProblem(400, "the body cannot be read: " + e.getMessage());
        }
    }
}
