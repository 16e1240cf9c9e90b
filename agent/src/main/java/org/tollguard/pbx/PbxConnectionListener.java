package org.tollguard.pbx;

import java.time.Instant;

/** Told when a PBX session goes up or down. Called on the adapter's thread: must not block. */
@FunctionalInterface
public interface PbxConnectionListener {
    /**
     * @param up     the session is up (logged in) now
     * @param detail why it went down ("disconnected", "login refused", the connect error), or how it came up
     */
    void connectionChanged(PbxConnection pbx, boolean up, Instant at, String detail);
}
