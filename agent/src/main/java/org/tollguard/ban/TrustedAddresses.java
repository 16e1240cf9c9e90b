package org.tollguard.ban;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.net.IpAddresses;
import org.tollguard.store.StoreException;
import org.tollguard.store.TrustRepository;

/**
 * Addresses that authenticated successfully within the trust period. Kept in memory for the engine and in the
 * store so that trust survives a restart; store writes are throttled because phones re-register every minute.
 */
final class TrustedAddresses {
    private static final Logger log = LoggerFactory.getLogger(TrustedAddresses.class);
    private static final long PERSIST_EVERY_MILLIS = Duration.ofMinutes(10).toMillis();

    private final TrustRepository repository;
    private final long trustMillis;
    private final Map<InetAddress, Long> lastSuccess = new HashMap<>();
    private final Map<InetAddress, Long> lastPersisted = new HashMap<>();

    TrustedAddresses(TrustRepository repository, Duration trust, Instant now) {
        this.repository = repository;
        this.trustMillis = trust.toMillis();
        if (trustMillis > 0) {
            repository.prune(now.minus(trust));
            repository.successesSince(now.minus(trust)).forEach((address, at) -> {
                InetAddress a = IpAddresses.tryParse(address);
                if (a != null) {
                    lastSuccess.put(a, at.toEpochMilli());
                    lastPersisted.put(a, at.toEpochMilli());
                }
            });
            log.info("trusted addresses loaded count={} trust={}", lastSuccess.size(), org.tollguard.yamlconfig.Durations.format(trust));
        }
    }

    boolean enabled() {
        return trustMillis > 0;
    }

    void recordSuccess(InetAddress address, String account, long now) {
        if (!enabled()) {
            return;
        }
        lastSuccess.put(address, now);
        Long persisted = lastPersisted.get(address);
        if (persisted == null || now - persisted >= PERSIST_EVERY_MILLIS) {
            try {
                repository.recordSuccess(IpAddresses.format(address), account, Instant.ofEpochMilli(now));
                lastPersisted.put(address, now);
            } catch (StoreException e) {
                log.warn("trust not stored address={} error=\"{}\"", IpAddresses.format(address), e.getMessage());
            }
        }
    }

    boolean isTrusted(InetAddress address, long now) {
        Long at = lastSuccess.get(address);
        return at != null && now - at <= trustMillis;
    }

    /** Drops entries older than the trust period so the map stays bounded by real, recent phones. */
    void expire(long now) {
        lastSuccess.values().removeIf(at -> now - at > trustMillis);
        lastPersisted.keySet().retainAll(lastSuccess.keySet());
    }
}
