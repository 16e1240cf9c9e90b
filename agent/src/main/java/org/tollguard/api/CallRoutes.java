package org.tollguard.api;

import org.tollguard.calls.CallEngine;

/** {@code GET /v1/calls}: the live calls. */
public final class CallRoutes implements Route {
    private final CallEngine engine;

    public CallRoutes(CallEngine engine) {
        this.engine = engine;
    }

    @Override
    public Object handle(ApiRequest r) {
        if (!r.method().equals("GET")) {
            throw ApiException.methodNotAllowed(r);
        }
        return engine.calls();
    }
}
