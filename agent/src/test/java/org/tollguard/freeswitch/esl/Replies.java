package org.tollguard.freeswitch.esl;

/**
 * Frames a real FreeSWITCH 1.10.12 Event Socket sent (../shared/freeswitch), bytes untouched, for the test servers
 * to answer with. What was never captured is listed where it is made up instead ({@link Frames}).
 */
public final class Replies {
    private static final String SESSION = "esl-replies/log-WARNING-event-plain-nolog.txt";
    private static final String WRONG_PASSWORD = "esl-replies/auth-wrong-password.txt";

    private Replies() {}

    /** {@code Content-Type: auth/request}, the first frame of every inbound connection. */
    public static byte[] authRequest() {
        return Captures.frame(SESSION, 0);
    }

    /** {@code +OK accepted}. */
    public static byte[] accepted() {
        return Captures.frame(SESSION, 1);
    }

    /** {@code -ERR invalid} to a wrong password; a {@link #goodbye()} follows and the connection closes. */
    public static byte[] invalidPassword() {
        return Captures.frame(WRONG_PASSWORD, 1);
    }

    /** {@code +OK log level WARNING [4]}. */
    public static byte[] logWarning() {
        return Captures.frame(SESSION, 2);
    }

    /** {@code +OK log level 7 [7]}. */
    public static byte[] log7() {
        return Captures.frame("raw-log-data/run1/003-command-reply-OK_log_level_7_7.txt", 0);
    }

    /** {@code +OK event listener enabled plain}. */
    public static byte[] eventPlainEnabled() {
        return Captures.frame(SESSION, 3);
    }

    /** {@code +OK event listener enabled json}. */
    public static byte[] eventJsonEnabled() {
        return Captures.frame("raw-json-events/003-command-reply-OK_event_listener_enabled_json.txt", 0);
    }

    /** {@code +OK no longer logging}. */
    public static byte[] noLog() {
        return Captures.frame(SESSION, 4);
    }

    /** {@code +OK bye} to {@code exit}. */
    public static byte[] bye() {
        return Captures.frame(SESSION, 5);
    }

    /** The text/disconnect-notice of an inbound connection (no Controlled-Session-UUID). */
    public static byte[] goodbye() {
        return Captures.frame(SESSION, 6);
    }

    /** {@code -ERR command not found}. */
    public static byte[] commandNotFound() {
        return Captures.frame("outbound-socket/deny/003-command-reply-ERR_command_not_found.txt", 0);
    }

    /** The text/rude-rejection an address outside {@code apply-inbound-acl} gets instead of auth/request. */
    public static byte[] rudeRejection() {
        return Captures.frame("esl-replies/acl-rejected-from-198.51.100.101.txt", 0);
    }

    /** {@code api show channels as json} with no channel up. */
    public static byte[] noChannels() {
        return Captures.bytes("show-channels/no-call-api-response.txt");
    }

    /** {@code api show channels as json} 4 s into the allowed call: its sofia leg and both loopback halves. */
    public static byte[] channelsWithCall() {
        return Captures.bytes("show-channels/call-up-api-response.txt");
    }
}
