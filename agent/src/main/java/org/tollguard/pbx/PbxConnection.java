package org.tollguard.pbx;

import java.time.Instant;

/**
 * A PBX adapter's session as operators see it: the status screen, the metrics and the alerts read it. Each
 * adapter (AMI, Event Socket) implements it; nothing that reads it knows which PBX is there.
 */
public interface PbxConnection {
    /** What operators call it, e.g. {@code asterisk 127.0.0.1:5038}. */
    String name();

    boolean isConnected();

    /** When the session last went up or down; null while the first attempt is still under way. */
    Instant stateSince();

    /** {@code listener} hears every change from up to down and back (not every failed reconnect attempt). */
    void addConnectionListener(PbxConnectionListener listener);
}
