package org.tollguard.freeswitch.esl;

/**
 * Receives what an {@link EslClient} reads. Every method is called on the client's single reader thread, in the
 * order FreeSWITCH sent things: it must return quickly and must not block (hand the work to a queue). Blocking here
 * stops all event delivery and all command replies, and waiting on an {@link EslClient#api} future here deadlocks.
 * An exception thrown by a method is logged and otherwise ignored.
 */
public interface EslListener {
    /** Authenticated and subscriptions sent (after every reconnect too: re-sync state here, e.g. list live calls). */
    void onConnected();

    /** A subscribed event. BACKGROUND_JOB events that answer one of this client's {@code bgapi} calls are not passed. */
    void onEvent(EslEvent event);

    /** A log entry (only while a log level is set). */
    void onLog(EslLogLine line);

    /**
     * The connection ended after {@link #onConnected()}: the client reconnects by itself, unless the reason is
     * {@code client closed} ({@link EslClient#close()}). Events may have been missed while disconnected.
     */
    void onDisconnected(String reason);

    /**
     * FreeSWITCH rejected the password (reply is e.g. {@code -ERR invalid}). The client logs an error and retries
     * every {@link EslConfig#authFailureBackoff()}, so a corrected FreeSWITCH config is picked up without a restart.
     */
    default void onAuthFailed(String reply) {}
}
