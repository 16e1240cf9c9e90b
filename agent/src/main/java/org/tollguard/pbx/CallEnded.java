package org.tollguard.pbx;

import java.time.Instant;

/**
 * The call is over.
 *
 * @param billableSeconds the PBX's own billable seconds if it reports them, else -1
 * @param cause           Q.850 cause code, 0 if unknown
 */
public record CallEnded(String callId, long billableSeconds, int cause, Instant at) implements CallEvent {}
