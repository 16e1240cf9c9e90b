package org.tollguard.freeswitch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The outgoing calls FreeSWITCH has, from CHANNEL_CREATE / CHANNEL_ANSWER / CHANNEL_HANGUP_COMPLETE, and rebuilt
 * from {@code show channels as json} after every reconnect.
 *
 * <p><b>Which calls.</b> Only outgoing calls are reported: a counted leg ({@link ChannelFields#isCountedLeg()}, a
 * leg a local phone placed) is pending from its CHANNEL_CREATE, and becomes a call, with {@link CallStarted}, when
 * FreeSWITCH creates a leg to a provider for it ({@link CallDirection}: the b-leg's {@code Channel-Call-UUID} names
 * it). A b-leg created by the b-half of a {@code loopback/} channel (ring groups, forwarding) belongs to the leg
 * that bridged to the loopback ({@code variable_other_loopback_from_uuid}), through any number of loopbacks. Calls
 * between extensions, to the echo test or voicemail never create such a leg: they are never counted, priced,
 * refused or hung up. A pending leg's answer is remembered and reported after its start (an IVR answers before
 * dialling out); a pending leg's hang-up is silent, unless the pre-dial check saw the call
 * ({@code variable_tollguard_result} set): the engines then hold it and need its {@link CallEnded}. Answers and
 * hang-ups of anything else (b-legs, loopback halves, the short channel of a refused INVITE that never had a
 * CHANNEL_CREATE) are ignored. Events are handled on the Event Socket reader thread (the methods are synchronized
 * because a timed-out channel list request completes on another thread); the table may be read from any thread.
 *
 * <p><b>Resynchronising.</b> On reconnect the adapter calls {@link #resyncStarted()} and asks for the channel list.
 * A counted row is an outgoing call if we knew it as one, or if a trunk leg's row has its uuid as
 * {@code call_uuid}; the other counted rows are pending. (The table has no loopback variables: a call that reaches
 * its provider only through a loopback is found when its next leg is created, not in the list.) Events keep
 * arriving meanwhile, and FreeSWITCH's channel table lags its events a little (it is written by a database
 * thread), so the list is merged: a call created or started after the request is kept as the events left it even
 * if the list lacks it, a call that ended after the request is dropped even if the list has it. Calls we knew that
 * are gone were missed while disconnected: each is reported as {@link CallEnded} with billable seconds unknown
 * (-1). Then a {@link LiveCallsSnapshot} with every live call. A call first seen in the list and already answered
 * gets its creation time as answer time (FreeSWITCH's table has no answer time; the earliest possible one errs
 * towards a higher live cost).
 */
final class CallTracker {
    private static final Logger log = LoggerFactory.getLogger(CallTracker.class);
    static final int MAX_CALLS = 100_000;

    private final Clock clock;
    private final PbxEventListener listener;
    private final CallDirection direction;
    /** Outgoing calls, by the id of their counted leg. */
    private final Map<String, LiveCall> live = new ConcurrentHashMap<>();
    /** Counted legs that have no leg to a provider yet; their answer time is kept for the start. */
    private final Map<String, LiveCall> pending = new HashMap<>();
    /** The b-half of a loopback → the counted leg it carries on (pending or live). */
    private final Map<String, String> loopbackOf = new HashMap<>();
    private boolean resyncing;
    /** Counted legs created, or calls started, after the channel list was asked for. */
    private final Set<String> createdDuringResync = new HashSet<>();
    private final Set<String> endedDuringResync = new HashSet<>();
    private long refused;

    CallTracker(Clock clock, PbxEventListener listener, CallDirection direction) {
        this.clock = clock;
        this.listener = listener;
        this.direction = direction;
    }

    synchronized void onCreate(ChannelFields channel) {
        String id = channel.uuid();
        if (!Text.isCallId(id)) {
            return;
        }
        if (channel.isCountedLeg()) {
            pend(id, channel);
        } else if (direction.isTrunkLeg(channel)) {
            String call = callOf(channel.createdFor(), id);
            if (call != null) {
                start(call);
            }
        } else if (channel.loopbackFrom() != null) {
            String call = trackedCall(channel.loopbackFrom());
            if (call != null && loopbackOf.size() < MAX_CALLS) {
                loopbackOf.put(id, call);
            }
        }
    }

    private void pend(String id, ChannelFields channel) {
        if (live.containsKey(id) || pending.containsKey(id)) {
            return;
        }
        if (pending.size() >= MAX_CALLS) {
            tableFull("pending", pending.size());
            return;
        }
        pending.put(id, new LiveCall(id, channel.account(), channel.caller(), channel.destination(), channel.source(),
                clock.instant(), null));
        if (resyncing) {
            createdDuringResync.add(id);
        }
    }

    /**
     * A pending leg got a leg to a provider. The call's start is its counted leg's creation, as on Asterisk: a
     * call's age, and which of two calls came first for the caps, runs from when the phone dialled, and an answer
     * remembered from before (an IVR) never precedes the start.
     */
    private void start(String id) {
        LiveCall call = pending.get(id);
        if (call == null) {
            return; // already outgoing
        }
        if (live.size() >= MAX_CALLS) {
            tableFull("live", live.size());
            return;
        }
        pending.remove(id);
        live.put(id, call);
        if (resyncing) {
            createdDuringResync.add(id);
        }
        listener.onEvent(new CallStarted(id, call.account(), call.caller(), call.destination(), call.source(),
                call.started()));
        if (call.answered() != null) {
            listener.onEvent(new CallAnswered(id, call.answered()));
        }
    }

    private void tableFull(String table, int size) {
        if (refused++ % 1000 == 0) {
            log.error("call table full, call not tracked table={} calls={} max={} refused={}", table, size,
                    MAX_CALLS, refused);
        }
    }

    /** The first of {@code candidates} (other than the leg itself) that is, or leads through loopbacks to, a
     * counted leg we track. */
    private String callOf(List<String> candidates, String self) {
        for (String candidate : candidates) {
            String call = candidate == null || candidate.equals(self) ? null : trackedCall(candidate);
            if (call != null) {
                return call;
            }
        }
        return null;
    }

    private String trackedCall(String id) {
        String call = loopbackOf.getOrDefault(id, id);
        return live.containsKey(call) || pending.containsKey(call) ? call : null;
    }

    synchronized void onAnswer(String id) {
        if (id == null) {
            return;
        }
        LiveCall call = live.get(id);
        if (call == null) {
            LiveCall waiting = pending.get(id);
            if (waiting != null && waiting.answered() == null) {
                pending.put(id, withAnswer(waiting, clock.instant()));
            }
            return;
        }
        if (call.answered() != null) {
            return;
        }
        Instant now = clock.instant();
        live.put(id, withAnswer(call, now));
        listener.onEvent(new CallAnswered(id, now));
    }

    synchronized void onHangupComplete(ChannelFields channel) {
        String id = channel.uuid();
        if (id == null) {
            return;
        }
        loopbackOf.remove(id);
        LiveCall call = live.remove(id);
        LiveCall waiting = pending.remove(id);
        if (resyncing) {
            endedDuringResync.add(id);
        }
        if (call != null || (waiting != null && channel.wasPreDialChecked())) {
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
        Set<String> outgoing = outgoingIn(rows);
        Map<String, LiveCall> nextLive = new LinkedHashMap<>();
        Map<String, LiveCall> nextPending = new HashMap<>();
        for (ChannelRows.Row row : rows) {
            String id = row.uuid();
            if (!row.isCountedLeg() || endedDuringResync.contains(id)) {
                continue;
            }
            LiveCall known = live.containsKey(id) ? live.get(id) : pending.get(id);
            LiveCall call = known != null ? merge(known, row) : fromRow(row);
            if ((live.containsKey(id) || outgoing.contains(id)) && nextLive.size() < MAX_CALLS) {
                nextLive.put(id, call);
            } else if (!live.containsKey(id) && nextPending.size() < MAX_CALLS) {
                nextPending.put(id, call);
            }
        }
        for (String id : createdDuringResync) {
            LiveCall c = live.get(id);
            if (c != null) {
                nextLive.putIfAbsent(id, c);
                nextPending.remove(id);
            } else if (pending.containsKey(id) && !nextLive.containsKey(id)) {
                nextPending.putIfAbsent(id, pending.get(id));
            }
        }
        Instant now = clock.instant();
        int vanished = 0;
        for (String id : new ArrayList<>(live.keySet())) {
            if (!nextLive.containsKey(id)) {
                live.remove(id);
                vanished++;
                listener.onEvent(new CallEnded(id, -1, 0, now));
            }
        }
        int found = 0;
        for (String id : nextLive.keySet()) {
            if (!live.containsKey(id)) {
                found++;
            }
        }
        live.putAll(nextLive);
        pending.clear();
        pending.putAll(nextPending);
        loopbackOf.values().removeIf(call -> !live.containsKey(call) && !pending.containsKey(call));
        resyncing = false;
        createdDuringResync.clear();
        endedDuringResync.clear();
        log.info("FreeSWITCH calls resynchronised live={} pending={} endedWhileAway={} foundAfterReconnect={}",
                nextLive.size(), nextPending.size(), vanished, found);
        listener.onEvent(new LiveCallsSnapshot(new ArrayList<>(nextLive.values()), now));
    }

    /** The resync request failed: keep what we have; the next reconnect tries again. */
    synchronized void resyncFailed() {
        resyncing = false;
        createdDuringResync.clear();
        endedDuringResync.clear();
    }

    /** FreeSWITCH's list as live outgoing calls, with what the events told us where we know the call. */
    List<LiveCall> toLiveCalls(List<ChannelRows.Row> rows) {
        Set<String> outgoing = outgoingIn(rows);
        List<LiveCall> out = new ArrayList<>();
        for (ChannelRows.Row row : rows) {
            LiveCall known = live.get(row.uuid());
            if (row.isCountedLeg() && (known != null || outgoing.contains(row.uuid()))) {
                out.add(known != null ? merge(known, row) : fromRow(row));
            }
        }
        return out;
    }

    /** The ids the trunk legs of the list were created for. */
    private Set<String> outgoingIn(List<ChannelRows.Row> rows) {
        Set<String> ids = new HashSet<>();
        for (ChannelRows.Row row : rows) {
            if (row.callUuid() != null && !row.callUuid().equals(row.uuid()) && direction.isTrunkLeg(row)) {
                ids.add(row.callUuid());
            }
        }
        return ids;
    }

    /** Outgoing calls tracked now. */
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
