package org.tollguard.pbx;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An adapter's up/down state and the listeners told of each change. Repeated downs (failed reconnect attempts)
 * are one change; nothing is reported once the adapter is closing.
 */
public final class ConnectionState {
    private static final Logger log = LoggerFactory.getLogger(ConnectionState.class);

    private final PbxConnection owner;
    private final Clock clock;
    private final AtomicReference<Instant> since = new AtomicReference<>();
    private final List<PbxConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Boolean reportedUp;
    private volatile boolean closed;

    public ConnectionState(PbxConnection owner, Clock clock) {
        this.owner = owner;
        this.clock = clock;
    }

    public void addListener(PbxConnectionListener listener) {
        listeners.add(listener);
    }

    /** When the session last went up or down; null before the first attempt ended. */
    public Instant since() {
        return since.get();
    }

    public void closing() {
        closed = true;
    }

    public void changed(boolean up, String detail) {
        if (closed || Boolean.valueOf(up).equals(reportedUp)) {
            return;
        }
        Instant now = clock.instant();
        reportedUp = up;
        since.set(now);
        for (PbxConnectionListener l : listeners) {
            try {
                l.connectionChanged(owner, up, now, detail);
            } catch (RuntimeException e) {
                log.warn("connection listener failed error=\"{}\"", e.toString());
            }
        }
    }
}
