package org.tollguard.hub.config;

import java.time.Duration;
import org.tollguard.yamlconfig.Checks;

/**
 * {@code review:} the review pages. A candidate is built from the reports of the last {@code window}; an approved
 * address is listed for {@code listed-for}. Passwords are hashed with bcrypt at {@code bcrypt-cost}; a session
 * ends after {@code session-idle} without a request or {@code session-max-age} after login. {@code secure-cookies}
 * marks the session cookie for HTTPS only (keep it on unless you test over plain HTTP on loopback).
 */
public record ReviewConfig(Duration window, Duration listedFor, Integer bcryptCost, Duration sessionIdle,
                           Duration sessionMaxAge, Boolean secureCookies, Duration jobsInterval) {
    public ReviewConfig {
        window = window == null ? Duration.ofDays(7) : window;
        listedFor = listedFor == null ? Duration.ofDays(30) : listedFor;
        bcryptCost = bcryptCost == null ? 12 : bcryptCost;
        sessionIdle = sessionIdle == null ? Duration.ofMinutes(30) : sessionIdle;
        sessionMaxAge = sessionMaxAge == null ? Duration.ofHours(12) : sessionMaxAge;
        secureCookies = secureCookies == null || secureCookies;
        jobsInterval = jobsInterval == null ? Duration.ofSeconds(10) : jobsInterval;
        Checks.positive("window", window);
        Checks.positive("listed-for", listedFor);
        Checks.atLeast("bcrypt-cost", bcryptCost, 4);
        if (bcryptCost > 31) {
            throw new IllegalArgumentException("bcrypt-cost: at most 31");
        }
        Checks.positive("session-idle", sessionIdle);
        Checks.positive("session-max-age", sessionMaxAge);
        Checks.positive("jobs-interval", jobsInterval);
    }

    public static ReviewConfig defaults() {
        return new ReviewConfig(null, null, null, null, null, null, null);
    }
}
