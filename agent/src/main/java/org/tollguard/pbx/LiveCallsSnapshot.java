package org.tollguard.pbx;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Every call the PBX has now, as an adapter lists it after (re)connecting: events sent while the agent was not
 * connected are lost, so the live-call table replaces its content with this list. Delivered through the same
 * {@link PbxEventListener} as the call events, so it is ordered with them: events after it are newer than it.
 * Calls that ended while the agent was away have been reported as {@link CallEnded} (billable seconds unknown)
 * just before it.
 */
public record LiveCallsSnapshot(List<LiveCall> calls, Instant at) implements PbxEvent {
    public LiveCallsSnapshot {
        calls = List.copyOf(calls);
        Objects.requireNonNull(at, "at");
    }
}
