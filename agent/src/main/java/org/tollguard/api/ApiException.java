package org.tollguard.api;

/** A request the API refuses, with the HTTP status to answer. */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static ApiException methodNotAllowed(ApiRequest r) {
        return new ApiException(405, r.method() + " is not allowed here");
    }
}
