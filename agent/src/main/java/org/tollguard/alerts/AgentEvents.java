package org.tollguard.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.pbx.PbxConnection;
import org.tollguard.pbx.PbxConnectionListener;

/**
 * What the agent's modules report that is not a decision: PBX sessions going up and down, community list
 * syncs. The alerts, the metrics and the status screen listen; a module reports to the one {@link #fanOut}
 * the agent hands it. Every method is called on the reporting module's thread and must not block.
 *
 * <p>For the community list module: call {@link #syncCompleted} after every successful import and
 * {@link #syncFailed} after every failed one (a failure raises a warning alert).
 */
public interface AgentEvents extends PbxConnectionListener {
    @Override
    default void connectionChanged(PbxConnection pbx, boolean up, Instant at, String detail) {}

    /** A community list {@code source} was imported: it took {@code took} and holds {@code size} entries. */
    default void syncCompleted(String source, Duration took, long size) {}

    /** Importing {@code source} failed after {@code took}; the previous list stays in force. */
    default void syncFailed(String source, Duration took, String error) {}

    /** Our firewall set-up was changed by another tool and repaired, or could not be repaired ({@code what} says). */
    default void firewallChanged(String what) {}

    /** Tells each of {@code sinks} in turn; one failing does not keep the others from hearing. */
    static AgentEvents fanOut(List<? extends AgentEvents> sinks) {
        List<AgentEvents> all = List.copyOf(sinks);
        Logger log = LoggerFactory.getLogger(AgentEvents.class);
        return new AgentEvents() {
            @Override
            public void connectionChanged(PbxConnection pbx, boolean up, Instant at, String detail) {
                each(s -> s.connectionChanged(pbx, up, at, detail));
            }

            @Override
            public void syncCompleted(String source, Duration took, long size) {
                each(s -> s.syncCompleted(source, took, size));
            }

            @Override
            public void syncFailed(String source, Duration took, String error) {
                each(s -> s.syncFailed(source, took, error));
            }

            @Override
            public void firewallChanged(String what) {
                each(s -> s.firewallChanged(what));
            }

            private void each(java.util.function.Consumer<AgentEvents> call) {
                for (AgentEvents s : all) {
                    try {
                        call.accept(s);
                    } catch (RuntimeException e) {
                        log.warn("agent event listener failed listener={} error=\"{}\"", s.getClass().getSimpleName(),
                                e.toString());
                    }
                }
            }
        };
    }
}
