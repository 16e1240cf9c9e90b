package org.tollguard.pbx;

import java.time.Instant;
import java.util.Objects;

/**
 * The PBX's own call detail record of a finished call (Asterisk: the Cdr event of the calling channel), usually
 * just after {@link CallEnded}. Its billable seconds are what the PBX bills.
 *
 * @param callId          the PBX's unique id of the calling channel, as in the call events
 * @param answered        null if not answered
 * @param billableSeconds answer to end, as the PBX counts them
 * @param disposition     the PBX's word for the outcome (ANSWERED, NO ANSWER, BUSY, FAILED, ...)
 */
public record CallRecord(String callId, String account, String destination, Instant started, Instant answered,
                         Instant ended, long durationSeconds, long billableSeconds, String disposition, Instant at)
        implements PbxEvent {
    public CallRecord {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(ended, "ended");
        Objects.requireNonNull(at, "at");
        account = Objects.requireNonNullElse(account, "");
        destination = Objects.requireNonNullElse(destination, "");
        disposition = Objects.requireNonNullElse(disposition, "");
    }
}
