package org.tollguard.hub.web;

import java.time.Instant;

/** A logged-in browser: its user, the CSRF token its forms must carry, and when it ends at the latest. */
public record WebSession(String tokenSha256, User user, String csrfToken, Instant lastSeen, Instant expires) {}
