package org.tollguard.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.tollguard.alerts.AgentEvents;
import org.tollguard.pbx.PbxConnection;
import org.tollguard.protocol.Heartbeat.RecentAlert;

/** What the heartbeat says about health, heard from the agent's events: PBX session, list syncs, recent problems. */
public final class HealthWatch implements AgentEvents {
    private static final int RECENT = 10;

    private volatile boolean pbxConnected;
    private volatile Instant listSynced;
    private final Deque<RecentAlert> recent = new ArrayDeque<>();

    @Override
    public void connectionChanged(PbxConnection pbx, boolean up, Instant at, String detail) {
        pbxConnected = up;
        if (!up) {
            remember(at, "PBX connection down: " + detail);
        }
    }

    @Override
    public void syncCompleted(String source, Duration took, long size) {
        listSynced = Instant.now();
    }

    @Override
    public void syncFailed(String source, Duration took, String error) {
        remember(Instant.now(), source + ": " + error);
    }

    public boolean pbxConnected() {
        return pbxConnected;
    }

    public Instant listSynced() {
        return listSynced;
    }

    public synchronized List<RecentAlert> recentAlerts() {
        return List.copyOf(recent);
    }

    private synchronized void remember(Instant at, String text) {
        recent.addFirst(new RecentAlert(at, text));
        while (recent.size() > RECENT) {
            recent.removeLast();
        }
    }
}
