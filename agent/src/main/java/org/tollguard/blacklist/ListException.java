package org.tollguard.blacklist;

/** A list cannot be used: unreadable, not a list, refused by a sanity rule, or a protocol error. */
public class ListException extends Exception {
    public ListException(String message) {
        super(message);
    }

    public ListException(String message, Throwable cause) {
        super(message, cause);
    }
}
