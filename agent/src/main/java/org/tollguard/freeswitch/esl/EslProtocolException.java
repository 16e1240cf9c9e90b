package org.tollguard.freeswitch.esl;

import java.io.IOException;

/** The byte stream is not a valid Event Socket stream (bad or oversized Content-Length, oversized header block). */
public final class EslProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public EslProtocolException(String message) {
        super(message);
    }
}
