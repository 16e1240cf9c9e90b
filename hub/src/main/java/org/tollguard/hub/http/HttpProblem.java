package org.tollguard.hub.http;

/** An answer other than success: status, what is wrong (sent as {@code {"error": ...}}), Retry-After seconds. */
public final class HttpProblem extends RuntimeException {
    private final int status;
    private final long retryAfterSeconds;

    public HttpProblem(int status, String message) {
        this(status, message, 0);
    }

    public HttpProblem(int status, String message, long retryAfterSeconds) {
        super(message, null, false, false);
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
