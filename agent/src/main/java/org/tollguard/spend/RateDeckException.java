package org.tollguard.spend;

/** A rate deck cannot be used; the message names the file, the line and the reason. */
public final class RateDeckException extends Exception {
    public RateDeckException(String message) {
        super(message);
    }
}
