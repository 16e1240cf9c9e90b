package org.tollguard.calls;

/** Why a call may not go ahead, with the Q.850 cause the PBX hangs it up with. */
record Violation(String rule, String reason, int cause) {
    /** 21: call rejected (blocked destination, blocked account, foreign network). */
    static final int CALL_REJECTED = 21;
    /** 34: no circuit available (a cap is reached). */
    static final int NO_CIRCUIT = 34;
    /** 16: normal clearing (maximum duration reached). */
    static final int NORMAL_CLEARING = 16;
}
