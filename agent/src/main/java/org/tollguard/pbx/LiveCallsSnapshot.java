package org.tollguard.pbx;

import java.time.Instant;
import java.util.List;

/** Every call the PBX has right now, sent by an adapter after each (re)connect so engines can resynchronise. */
public record LiveCallsSnapshot(List<LiveCall> calls, Instant at) implements PbxEvent {
    public LiveCallsSnapshot {
        calls = List.copyOf(calls);
    }
}
