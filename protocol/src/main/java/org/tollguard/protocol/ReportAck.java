package org.tollguard.protocol;

import java.util.List;

/**
 * The answer to a report batch: every report not listed in {@code rejected} is acknowledged (stored now or
 * before) and never sent again; {@code accepted} counts the reports this batch newly stored.
 */
public record ReportAck(int protocol, int accepted, int duplicates, List<Rejection> rejected) {
    public record Rejection(String id, String reason) {}
}
