package org.tollguard.pbx;

/** What an authentication event says about the source address. */
public enum AuthOutcome {
    /** Credentials were wrong, the account unknown, or the request refused (counts toward a ban). */
    FAILED,
    /** The PBX sent a challenge (401/407); it is a failure only if never answered. */
    CHALLENGED,
    /** The source authenticated successfully. */
    SUCCEEDED,
    /** A PBX-side limit was hit (session, memory, load); logged, not held against the address. */
    NOTICE
}
