package org.tollguard.asterisk;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.asteriskjava.manager.event.CdrEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.NewStateEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.tollguard.net.IpAddresses;
import org.tollguard.pbx.CallAnswered;
import org.tollguard.pbx.CallEnded;
import org.tollguard.pbx.CallRecord;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.LiveCall;
import org.tollguard.pbx.PbxEvent;
import org.tollguard.pbx.PbxEventListener;

/**
 * Turns AMI channel events into call events. A call is a local account's channel that starts its own call
 * (Uniqueid = Linkedid); the legs it dials are not calls of their own. Only outgoing calls are reported (see
 * {@link CallDirection}): a call's start waits until it dials a leg to a trunk and its caller's address is known,
 * then comes with what happened to the call meanwhile. Inbound calls (from a trunk or an inbound context) are not
 * followed at all; internal calls, which never dial a trunk, only report their end (a pre-dial check may have
 * seen them). Keeps the channel name of each call for hang-ups.
 */
final class AmiCallTracker {
    private static final int RECENTLY_ENDED = 1024;
    private final Clock clock;
    private final PbxEventListener listener;
    private final CallDirection direction;
    /** call id (Uniqueid) → the call, while its channel lives. */
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    /** Ids of reported calls that ended lately: Asterisk sometimes sends a call's Cdr event just after its Hangup. */
    private final Set<String> recentlyEnded = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > RECENTLY_ENDED;
                }
            }));

    /** A local account's call. Its fields are written under the call's lock (AMI thread and GetVar callback). */
    private static final class Call {
        final String channel;
        final NewChannelEvent start;
        final Instant at;
        InetAddress source;
        boolean sourceKnown;
        boolean outgoing;
        /** Events waiting for the start to be reported; null once it is. */
        List<PbxEvent> held = new ArrayList<>(2);

        Call(String channel, NewChannelEvent start, Instant at) {
            this.channel = channel;
            this.start = start;
            this.at = at;
        }
    }

    AmiCallTracker(Clock clock, PbxEventListener listener, CallDirection direction) {
        this.clock = clock;
        this.listener = listener;
        this.direction = direction;
    }

    String channelOf(String callId) {
        Call c = calls.get(callId);
        return c == null ? null : c.channel;
    }

    /** A local account's channel that starts its own call (not a leg something else dialled, not from a trunk). */
    boolean isCallStart(NewChannelEvent e) {
        return AsteriskAccounts.isPhoneChannel(e.getChannel()) && e.getUniqueId() != null
                && (e.getLinkedid() == null || e.getUniqueId().equals(e.getLinkedid()))
                && !direction.isInbound(e.getChannel(), e.getContext());
    }

    /** A call begins; it is reported once {@link #sourceKnown} and once it dials a trunk. */
    void starting(NewChannelEvent e, Instant at) {
        calls.put(e.getUniqueId(), new Call(e.getChannel(), e, at));
    }

    /** The caller's signalling address (null: unknown). */
    void sourceKnown(String callId, InetAddress source) {
        Call c = calls.get(callId);
        if (c != null) {
            synchronized (c) {
                c.source = source;
                c.sourceKnown = true;
                reportIfOutgoing(c);
            }
        }
    }

    /** A channel of a call dials a leg: the call is outgoing if the leg goes to a trunk. */
    void dialling(DialBeginEvent e) {
        String id = e.getLinkedId() != null ? e.getLinkedId() : e.getUniqueId();
        Call c = id == null ? null : calls.get(id);
        if (c != null && direction.isTrunkLeg(e.getDestChannel(), e.getDialString())) {
            synchronized (c) {
                c.outgoing = true;
                reportIfOutgoing(c);
            }
        }
    }

    private void reportIfOutgoing(Call c) {
        if (c.held == null || !c.outgoing || !c.sourceKnown) {
            return;
        }
        NewChannelEvent e = c.start;
        listener.onEvent(new CallStarted(e.getUniqueId(), AsteriskAccounts.of(e.getAccountCode(), e.getChannel()),
                e.getCallerIdNum(), e.getExten(), c.source, c.at));
        List<PbxEvent> later = c.held;
        c.held = null;
        later.forEach(listener::onEvent);
    }

    void stateChanged(NewStateEvent e) {
        if ("Up".equalsIgnoreCase(e.getChannelStateDesc())) {
            send(e.getUniqueId(), new CallAnswered(e.getUniqueId(), clock.instant()));
        }
    }

    /** Every call's end is reported, outgoing or not: a pre-dial check may have seen a call that never dialled. */
    void hungUp(HangupEvent e) {
        Call c = e.getUniqueId() == null ? null : calls.remove(e.getUniqueId());
        if (c != null) {
            synchronized (c) {
                if (c.held == null) {
                    recentlyEnded.add(e.getUniqueId());
                }
                c.held = null;
            }
            listener.onEvent(new CallEnded(e.getUniqueId(), -1, e.getCause() == null ? 0 : e.getCause(), clock.instant()));
        }
    }

    /**
     * Asterisk's Cdr event (cdr_manager) of a phone's channel: the PBX's own record of the call, with the billable
     * seconds it bills. It comes around the channel's Hangup (mostly just before, sometimes just after), and once per
     * dial if the channel dials more than once. Its times are the Asterisk host's local time without a zone, so the
     * record carries times derived from our clock and its durations instead.
     */
    void recorded(CdrEvent e) {
        if (!AsteriskAccounts.isPhoneChannel(e.getChannel()) || e.getUniqueId() == null) {
            return;
        }
        Instant now = clock.instant();
        long duration = e.getDuration() == null ? 0 : Math.max(0, e.getDuration());
        long billable = e.getBillableSeconds() == null ? 0 : Math.max(0, e.getBillableSeconds());
        boolean answered = (e.getAnswerTime() != null && !e.getAnswerTime().isBlank())
                || CdrEvent.DISPOSITION_ANSWERED.equals(e.getDisposition());
        CallRecord record = new CallRecord(e.getUniqueId(), AsteriskAccounts.of(e.getAccountCode(), e.getChannel()),
                e.getDestination(), now.minusSeconds(duration), answered ? now.minusSeconds(billable) : null, now,
                duration, billable, e.getDisposition(), now);
        if (recentlyEnded.contains(e.getUniqueId())) {
            listener.onEvent(record); // the engines correct the call they stored
        } else {
            send(e.getUniqueId(), record);
        }
    }

    /** Sends an event of a call now, or after its start; drops it for calls that are not ours. */
    private void send(String callId, PbxEvent event) {
        Call c = callId == null ? null : calls.get(callId);
        if (c == null) {
            return;
        }
        synchronized (c) {
            if (c.held != null) {
                c.held.add(event);
                return;
            }
        }
        listener.onEvent(event);
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Rebuilds from CoreShowChannels (after a (re)connect and periodically): the outgoing calls Asterisk has now. A
     * call is outgoing if we saw it dial a trunk, or if it is in Dial towards a trunk (its application data), or one
     * of its legs is a trunk's channel. Calls that began after the list was {@code asked} for are kept though the
     * list may lack them; calls it lacks that began before are gone (their Hangup was missed).
     */
    List<LiveCall> resync(Collection<ResponseEvent> events, Instant asked) {
        Instant now = clock.instant();
        List<CoreShowChannelEvent> channels = new ArrayList<>();
        Set<String> withTrunkLeg = new HashSet<>();
        for (ResponseEvent r : events) {
            if (r instanceof CoreShowChannelEvent c && c.getUniqueid() != null) {
                channels.add(c);
                boolean leg = c.getLinkedid() != null && !c.getUniqueid().equals(c.getLinkedid());
                if (leg && direction.isTrunkLeg(c.getChannel(), null)) {
                    withTrunkLeg.add(c.getLinkedid());
                }
            }
        }
        List<LiveCall> live = new ArrayList<>();
        Map<String, Call> fresh = new ConcurrentHashMap<>();
        for (CoreShowChannelEvent c : channels) {
            if (!AsteriskAccounts.isPhoneChannel(c.getChannel())
                    || (c.getLinkedid() != null && !c.getUniqueid().equals(c.getLinkedid()))
                    || direction.isInbound(c.getChannel(), c.getContext())) {
                continue;
            }
            Call known = calls.get(c.getUniqueid());
            boolean outgoing = (known != null && known.held == null) || withTrunkLeg.contains(c.getUniqueid())
                    || ("Dial".equalsIgnoreCase(c.getApplication()) && direction.dialsTrunk(c.getApplicationdata()));
            NewChannelEvent start = known != null ? known.start : startOf(c);
            Instant started = known != null ? known.at : now.minus(parseDuration(c.getDuration()));
            Call call = new Call(c.getChannel(), start, started);
            call.sourceKnown = true;
            call.source = known != null ? known.source : null;
            call.outgoing = outgoing;
            if (outgoing) {
                call.held = null;
                Instant answered = Integer.valueOf(6).equals(c.getChannelState()) ? started : null;
                live.add(new LiveCall(c.getUniqueid(), AsteriskAccounts.of(c.getAccountcode(), c.getChannel()),
                        c.getCallerIdNum(), c.getExten() != null ? c.getExten() : c.getExtension(), call.source,
                        started, answered));
            }
            fresh.put(c.getUniqueid(), call);
        }
        calls.entrySet().removeIf(e -> !fresh.containsKey(e.getKey()) && !e.getValue().at.isAfter(asked));
        fresh.forEach((id, call) -> calls.merge(id, call, (old, n) -> old.held == null || !n.outgoing ? old : n));
        for (Map.Entry<String, Call> e : calls.entrySet()) {
            Call c = e.getValue();
            if (!fresh.containsKey(e.getKey()) && c.held == null) {
                NewChannelEvent s = c.start;
                live.add(new LiveCall(e.getKey(), AsteriskAccounts.of(s.getAccountCode(), s.getChannel()),
                        s.getCallerIdNum(), s.getExten(), c.source, c.at, null));
            }
        }
        return live;
    }

    private static NewChannelEvent startOf(CoreShowChannelEvent c) {
        NewChannelEvent e = new NewChannelEvent(c.getSource());
        e.setChannel(c.getChannel());
        e.setUniqueId(c.getUniqueid());
        e.setLinkedid(c.getLinkedid());
        e.setAccountCode(c.getAccountcode());
        e.setCallerIdNum(c.getCallerIdNum());
        e.setExten(c.getExten() != null ? c.getExten() : c.getExtension());
        e.setContext(c.getContext());
        return e;
    }

    /** {@code CHANNEL(pjsip,remote_addr)}: {@code 198.51.100.20:5060} or {@code [2001:db8::20]:5060}. */
    static InetAddress parseRemoteAddr(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        String host;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            host = end > 0 ? v.substring(1, end) : v;
        } else {
            int colon = v.lastIndexOf(':');
            host = colon > 0 && v.indexOf(':') == colon ? v.substring(0, colon) : v;
        }
        return IpAddresses.tryParse(host);
    }

    private static Duration parseDuration(String hhmmss) {
        if (hhmmss == null) {
            return Duration.ZERO;
        }
        String[] p = hhmmss.split(":");
        try {
            return p.length == 3 ? Duration.ofHours(Long.parseLong(p[0])).plusMinutes(Long.parseLong(p[1]))
                    .plusSeconds(Long.parseLong(p[2])) : Duration.ofSeconds(Long.parseLong(hhmmss));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }
}
