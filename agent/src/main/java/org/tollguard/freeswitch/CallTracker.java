package org.tollguard.freeswitch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.pbx.CallAnswered;
import org.tollguard.pbx.CallEnded;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.LiveCall;
import org.tollguard.pbx.LiveCallsSnapshot;
import org.tollguard.pbx.PbxEventListener;

/**
 * The calls FreeSWITCH has, from CHANNEL_CREATE / CHANNEL_ANSWER / CHANNEL_HANGUP_COMPLETE, and rebuilt from
 * {@code show channels as json} after every reconnect. Only counted legs ({@link ChannelFields#isCountedLeg()})
 * are tracked, so a bridged call is one call; answers and hang-ups of anything else (b-legs, loopback halves, the
 * short channel of a refused INVITE that never had a CHANNEL_CREATE) are ignored. Events are handled on the
 * Event Socket reader thread (the methods are synchronized because a timed-out channel list request completes on
 * another thread); the table may be read from any thread.
 *
 * <p><b>Resynchronising.</b> On reconnect the adapter calls {@link #resyncStarted()} and asks for the channel list.
 * Events keep arriving meanwhile, and FreeSWITCH's channel table lags its events a little (it is written by a
 * database thread), so the list is merged: a call created after the request is kept even if the list lacks it, a
 * call that ended after the request is dropped even if the list has it. Calls we knew that are gone were missed
 * while disconnected: each is reported as {@link CallEnded} with billable seconds unknown (-1). Then a
 * {@link LiveCallsSnapshot} with every live call. A call first seen in the list and already answered gets its
 * creation time as answer time (FreeSWITCH's table has no answer time; the earliest possible one errs towards a
 * higher live cost).
 */
final class CallTracker {
    private static final Logger log = LoggerFactory.getLogger(CallTracker.class);
    static final int MAX_CALLS = 100_000;

    private final Clock clock;
    private final PbxEventListener listener;
    private final Map<String, LiveCall> live = new ConcurrentHashMap<>();
    private boolean resyncing;
    private final Set<String> createdDuringResync = new HashSet<>();
    private final Set<String> endedDuringResync = new HashSet<>();
    private long refused;

    CallTracker(Clock clock, PbxEventListener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    synchronized void onCreate(ChannelFields channel) {
        String id = channel.uuid();
        if (!Text.isCallId(id) || !channel.isCountedLeg() || live.containsKey(id)) {
            return;
        }
        if (live.size() >= MAX_CALLS) {
            if (refused++ % 1000 == 0) {
                log.error("call table full, call not tracked calls={} max={} refused={}", live.size(), MAX_CALLS,
                        refused);
            }
            return;
        }
        Instant now = clock.instant();
        LiveCall call = new LiveCall(id, channel.account(), channel.caller(), channel.destination(), channel.source(),
                now, null);
        live.put(id, call);
        if (resyncing) {
            createdDuringResync.add(id);
        }
        listener.onEvent(new CallStarted(id, call.account(), call.caller(), call.destination(), call.source(), now));
    }

    synchronized void onAnswer(String id) {
        LiveCall call = id == null ? null : live.get(id);
        if (call == null || call.answered() != null) {
            return;
        }
        Instant now = clock.instant();
        live.put(id, withAnswer(call, now));
        listener.onEvent(new CallAnswered(id, now));
    }

    synchronized void onHangupComplete(ChannelFields channel) {
        String id = channel.uuid();
        LiveCall call = id == null ? null : live.remove(id);
        if (resyncing && id != null) {
            endedDuringResync.add(id);
        }
        if (call != null) {
            listener.onEvent(new CallEnded(id, channel.billableSeconds(), channel.cause(), clock.instant()));
        }
    }

    synchronized void resyncStarted() {
        resyncing = true;
        createdDuringResync.clear();
        endedDuringResync.clear();
    }

    /** Merges FreeSWITCH's channel list (see the class comment) and reports the result. */
    synchronized void resynced(List<ChannelRows.Row> rows) {
        if (!resyncing) {
            return;
        }
        Map<String, LiveCall> next = new LinkedHashMap<>();
        for (ChannelRows.Row row : rows) {
            if (row.isCountedLeg() && !endedDuringResync.contains(row.uuid()) && next.size() < MAX_CALLS) {
                LiveCall known = live.get(row.uuid());
                next.put(row.uuid(), known != null ? merge(known, row) : fromRow(row));
            }
        }
        for (String id : createdDuringResync) {
            LiveCall c = live.get(id);
            if (c != null) {
                next.putIfAbsent(id, c);
            }
        }
        Instant now = clock.instant();
        int vanished = 0;
        for (String id : new ArrayList<>(live.keySet())) {
            if (!next.containsKey(id)) {
                live.remove(id);
                vanished++;
                listener.onEvent(new CallEnded(id, -1, 0, now));
            }
        }
        int found = 0;
        for (String id : next.keySet()) {
            if (!live.containsKey(id)) {
                found++;
            }
        }
        live.putAll(next);
        resyncing = false;
        createdDuringResync.clear();
        endedDuringResync.clear();
        log.info("FreeSWITCH calls resynchronised live={} endedWhileAway={} foundAfterReconnect={}", next.size(),
                vanished, found);
        listener.onEvent(new LiveCallsSnapshot(new ArrayList<>(next.values()), now));
    }

    /** The resync request failed: keep what we have; the next reconnect tries again. */
    synchronized void resyncFailed() {
        resyncing = false;
        createdDuringResync.clear();
        endedDuringResync.clear();
    }

    /** FreeSWITCH's list as live calls, with what the events told us where we know the call. */
    List<LiveCall> toLiveCalls(List<ChannelRows.Row> rows) {
        List<LiveCall> out = new ArrayList<>();
        for (ChannelRows.Row row : rows) {
            if (row.isCountedLeg()) {
                LiveCall known = live.get(row.uuid());
                out.add(known != null ? merge(known, row) : fromRow(row));
            }
        }
        return out;
    }

    int size() {
        return live.size();
    }

    private static LiveCall merge(LiveCall known, ChannelRows.Row row) {
        if (known.answered() == null && row.answered()) {
            return withAnswer(known, known.started());
        }
        return known;
    }

    private static LiveCall fromRow(ChannelRows.Row row) {
        Instant created = row.created();
        return new LiveCall(row.uuid(), row.account(), Text.clean(row.cidNum()), Text.clean(row.dest()), row.source(),
                created, row.answered() ? created : null);
    }

    private static LiveCall withAnswer(LiveCall c, Instant answered) {
        return new LiveCall(c.callId(), c.account(), c.caller(), c.destination(), c.source(), c.started(), answered);
    }
}
