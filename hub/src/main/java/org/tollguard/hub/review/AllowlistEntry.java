package org.tollguard.hub.review;

import java.time.Instant;

/** A network never listed: a carrier, a SIP provider, a network the operator manages, or a canary. */
public record AllowlistEntry(long id, String network, String kind, String note, String addedBy, Instant addedAt) {
    public boolean canary() {
        return "canary".equals(kind);
    }
}
