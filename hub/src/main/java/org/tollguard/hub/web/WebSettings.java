package org.tollguard.hub.web;

import java.time.Duration;

/**
 * The review pages' settings (the hub config's {@code web:} section).
 *
 * @param bcryptCost     bcrypt work factor for new passwords (12; 4 in tests)
 * @param sessionIdle    a session ends after this long without a request
 * @param sessionMaxAge  and this long after login at the latest
 * @param secureCookies  mark the session cookie Secure (true behind HTTPS; the default)
 */
public record WebSettings(int bcryptCost, Duration sessionIdle, Duration sessionMaxAge, boolean secureCookies) {
    public static WebSettings defaults() {
        return new WebSettings(12, Duration.ofMinutes(30), Duration.ofHours(12), true);
    }
}
