package org.tollguard.calls;

import java.net.InetAddress;
import java.time.Instant;
import org.tollguard.numbers.Category;
import org.tollguard.numbers.Classification;

/** A call the engine watches. Owned by the call engine's thread. */
final class TrackedCall {
    final String callId;
    String account;
    String caller;
    String destination;
    Classification classification;
    InetAddress source;
    Instant started;
    Instant answered;
    /** The pre-dial check answered for this call (allowed or denied), so the backstop need not judge its start. */
    boolean checked;
    /** The backstop judged its start. */
    boolean judged;
    /** An alert for its unknown source address was raised. */
    boolean sourceAlerted;
    /** A hang-up was asked for; do not ask again. */
    boolean hangingUp;

    TrackedCall(String callId) {
        this.callId = callId;
    }

    boolean isEmergency() {
        return classification != null && classification.category() == Category.EMERGENCY;
    }

    /** Outgoing to the outside world: asked about by the pre-dial check, or dialled a real external number. */
    boolean isOutgoing() {
        return checked || (classification != null && classification.category() != Category.UNKNOWN);
    }

    /** Counts against caps: outgoing and not an emergency call. */
    boolean counts() {
        return isOutgoing() && !isEmergency() && !hangingUp;
    }
}
