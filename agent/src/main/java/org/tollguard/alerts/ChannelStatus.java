package org.tollguard.alerts;

import java.time.Instant;

/**
 * An alert channel as the status screen shows it.
 *
 * @param pending         alerts collected for the next message
 * @param failedAttempts  send attempts that failed (each retry counts)
 */
public record ChannelStatus(String type, String name, Severity minSeverity, long messagesSent, long alertsSent,
                            long failedAttempts, long pending, Instant lastSent, Instant lastFailure, String lastError) {}
