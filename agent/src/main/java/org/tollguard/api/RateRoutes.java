package org.tollguard.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tollguard.spend.Rates;
import org.tollguard.spend.SpendEngine;

/** {@code GET /v1/rates} (the rate deck in use) and {@code POST /v1/rates/reload} (read the deck file again). */
public final class RateRoutes implements Route {
    private final SpendEngine spend;

    public RateRoutes(SpendEngine spend) {
        this.spend = spend;
    }

    @Override
    public Object handle(ApiRequest r) {
        if (spend == null) {
            throw new ApiException(409, "the spend IDS is off (ids.enabled: false)");
        }
        Rates rates = spend.rates();
        if (r.rest().isEmpty() && r.method().equals("GET")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", spend.config().rateDeck() == null ? null : spend.config().rateDeck().toString());
            m.put("rates", rates.current().deck().size());
            m.put("currency", spend.config().currency());
            return m;
        }
        if (r.rest().equals("reload")) {
            if (!r.method().equals("POST")) {
                throw ApiException.methodNotAllowed(r);
            }
            return rates.reload();
        }
        throw new ApiException(404, "no such resource: /v1/rates/" + r.rest());
    }
}
