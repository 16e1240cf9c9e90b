package org.tollguard.alerts;

/** Where digests go: an e-mail account, a webhook. {@link #send} may block (it runs on the channel's own thread). */
interface Channel extends AutoCloseable {
    /** {@code email} or {@code webhook}. */
    String type();

    /** Unique among the channels: logs, metrics and the status screen use it. */
    String name();

    /** Delivers one message or throws; the caller retries. */
    void send(DigestMessage message) throws Exception;

    @Override
    default void close() {}
}
