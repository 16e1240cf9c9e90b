package org.tollguard.hub.config;

import java.nio.file.Path;
import java.time.Duration;
import org.tollguard.protocol.TrustedComment;
import org.tollguard.yamlconfig.Checks;

/**
 * {@code publication:} how the approved list becomes signed files. A new generation every {@code interval} when
 * something was approved; a head at least every quarter of {@code head-expiry}; a snapshot every
 * {@code snapshot-every}; changes files kept for {@code keep}. {@code directory}: also write the files there
 * for a static server.
 */
public record PublicationConfig(String list, Duration interval, Duration headExpiry, Duration snapshotEvery,
                                Duration keep, Path directory, Boolean requireAuth) {
    public PublicationConfig {
        list = list == null ? "community" : list;
        if (!TrustedComment.LIST_NAME.matcher(list).matches()) {
            throw new IllegalArgumentException("list: '" + list + "' must be lower-case letters, digits and dashes");
        }
        interval = interval == null ? Duration.ofSeconds(5) : interval;
        headExpiry = headExpiry == null ? Duration.ofDays(1) : headExpiry;
        snapshotEvery = snapshotEvery == null ? Duration.ofHours(6) : snapshotEvery;
        keep = keep == null ? Duration.ofDays(7) : keep;
        requireAuth = requireAuth != null && requireAuth;
        Checks.positive("interval", interval);
        Checks.positive("head-expiry", headExpiry);
        Checks.positive("snapshot-every", snapshotEvery);
        if (keep.compareTo(snapshotEvery) <= 0) {
            throw new IllegalArgumentException("keep: must be longer than snapshot-every (" + snapshotEvery.toHours()
                    + "h), or an agent could find no chain of changes after the snapshot");
        }
    }

    /** A head is re-signed (as a new generation) at least this often, so a fresh one always exists. */
    public Duration headRefresh() {
        return headExpiry.dividedBy(4);
    }

    public static PublicationConfig defaults() {
        return new PublicationConfig(null, null, null, null, null, null, null);
    }
}
