package org.tollguard.protocol;

/** A list file that must not be taken: bad or missing signature, another list, replayed, expired. */
public class ListRejectedException extends Exception {
    public ListRejectedException(String message) {
        super(message);
    }

    public ListRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
