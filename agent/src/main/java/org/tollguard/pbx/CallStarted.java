package org.tollguard.pbx;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * A phone or trunk started a call (Asterisk: the dialling channel appeared or began to dial; FreeSWITCH:
 * CHANNEL_CREATE of the inbound leg).
 *
 * @param account     what the PBX bills and restricts: accountcode if set, else the endpoint (user@domain)
 * @param caller      caller id number as the PBX has it
 * @param destination what was dialled, as dialled
 * @param source      signalling source address of the caller, null if unknown (local channels)
 */
public record CallStarted(String callId, String account, String caller, String destination, InetAddress source,
                          Instant at) implements CallEvent {
    public CallStarted {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(at, "at");
        account = Objects.requireNonNullElse(account, "");
        caller = Objects.requireNonNullElse(caller, "");
        destination = Objects.requireNonNullElse(destination, "");
    }
}
