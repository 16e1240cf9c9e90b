package org.tollguard.freeswitch.esl;

/**
 * Why a command future failed: not connected, connection lost before the reply, or FreeSWITCH answered {@code -ERR}
 * (then {@link #reply()} holds the reply text).
 */
public final class EslException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reply;

    public EslException(String message) {
        this(message, null);
    }

    public EslException(String message, String reply) {
        super(message);
        this.reply = reply;
    }

    /** FreeSWITCH's reply text (e.g. {@code -ERR invalid log level}), or null if the failure was not a reply. */
    public String reply() {
        return reply;
    }
}
