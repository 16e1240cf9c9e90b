package org.tollguard.hub.review;

import java.time.Instant;
import java.util.Locale;

/**
 * A reporting site with its operator, volume, outcomes and earned trust; {@code abuseReports}: its operator opted in
 * to abuse reports (its evidence may be sent to the networks of the addresses it reported).
 */
public record Reporter(long siteId, String site, String operator, long reports, long reportsLastDay,
                       int approved, int rejected, int canaryHits, Instant lastReport, boolean abuseReports) {
    public double trust() {
        return ReporterTrust.of(approved, rejected, canaryHits);
    }

    public String trustText() {
        return String.format(Locale.ROOT, "%.2f", trust());
    }

    public String rejectionRate() {
        int decided = approved + rejected;
        return decided == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * rejected / decided);
    }
}
