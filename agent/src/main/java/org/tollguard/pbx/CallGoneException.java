package org.tollguard.pbx;

/** The call to act on is no longer on the PBX (it ended, or the channel is gone): a hang-up has nothing to do. */
public final class CallGoneException extends RuntimeException {
    public CallGoneException(String message) {
        super(message);
    }
}
