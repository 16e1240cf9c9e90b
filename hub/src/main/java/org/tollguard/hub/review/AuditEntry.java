package org.tollguard.hub.review;

import java.time.Instant;

/** One line of the audit log: who (a user, an API token or a rule) did what to which subject, and why. */
public record AuditEntry(long id, Instant at, String actor, String action, String subject, String reason,
                         String detail) {}
