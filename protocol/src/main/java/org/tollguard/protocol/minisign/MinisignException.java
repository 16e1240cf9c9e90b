package org.tollguard.protocol.minisign;

/** A key or signature that cannot be read, or a signature that does not check; the message says which. */
public class MinisignException extends Exception {
    public MinisignException(String message) {
        super(message);
    }

    public MinisignException(String message, Throwable cause) {
        super(message, cause);
    }
}
