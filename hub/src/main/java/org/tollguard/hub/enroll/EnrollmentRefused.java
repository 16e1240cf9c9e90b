package org.tollguard.hub.enroll;

/** An enrollment token that cannot be exchanged; the message says why (unknown, used, expired). */
public class EnrollmentRefused extends Exception {
    public EnrollmentRefused(String message) {
        super(message);
    }
}
