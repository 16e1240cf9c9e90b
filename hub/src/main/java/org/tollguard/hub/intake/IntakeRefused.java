package org.tollguard.hub.intake;

/** A whole request refused (nothing of it stored): the HTTP status, what is wrong, and when to retry (429). */
public class IntakeRefused extends Exception {
    private final int status;
    private final long retryAfterSeconds;

    public IntakeRefused(int status, String message) {
        this(status, message, 0);
    }

    public IntakeRefused(int status, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
