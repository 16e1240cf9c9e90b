package org.tollguard.asterisk;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.asteriskjava.manager.event.CdrEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
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
import org.tollguard.pbx.PbxEventListener;

/**
 * Turns AMI channel events into call events. A call is a phone's channel that starts its own call
 * (Uniqueid = Linkedid); the legs it dials are not calls of their own. Keeps the channel name of each call for
 * hang-ups.
 */
final class AmiCallTracker {
    private final Clock clock;
    private final PbxEventListener listener;
    /** call id (Uniqueid) → channel name, for live calls. */
    private final Map<String, String> channels = new ConcurrentHashMap<>();
    /** Events of calls whose start waits for the caller's address; sent right after the start, in order. */
    private final Map<String, List<org.tollguard.pbx.PbxEvent>> held = new ConcurrentHashMap<>();

    AmiCallTracker(Clock clock, PbxEventListener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    String channelOf(String callId) {
        return channels.get(callId);
    }

    boolean isCallStart(NewChannelEvent e) {
        return AsteriskAccounts.isPhoneChannel(e.getChannel()) && e.getUniqueId() != null
                && (e.getLinkedid() == null || e.getUniqueId().equals(e.getLinkedid()));
    }

    /** A call begins; its start is reported by {@link #started} once the caller's address is known. */
    void starting(NewChannelEvent e) {
        channels.put(e.getUniqueId(), e.getChannel());
        held.put(e.getUniqueId(), new ArrayList<>(2));
    }

    /** Reports the start, then whatever happened to the call meanwhile. */
    void started(NewChannelEvent e, Instant at, InetAddress source) {
        listener.onEvent(new CallStarted(e.getUniqueId(), AsteriskAccounts.of(e.getAccountCode(), e.getChannel()),
                e.getCallerIdNum(), e.getExten(), source, at));
        List<org.tollguard.pbx.PbxEvent> later = held.remove(e.getUniqueId());
        if (later != null) {
            later.forEach(listener::onEvent);
        }
    }

    void stateChanged(NewStateEvent e) {
        if ("Up".equalsIgnoreCase(e.getChannelStateDesc()) && channels.containsKey(e.getUniqueId())) {
            send(new CallAnswered(e.getUniqueId(), clock.instant()));
        }
    }

    void hungUp(HangupEvent e) {
        if (channels.remove(e.getUniqueId()) != null) {
            send(new CallEnded(e.getUniqueId(), -1, e.getCause() == null ? 0 : e.getCause(), clock.instant()));
        }
    }

    /**
     * Asterisk's Cdr event (cdr_manager) of a phone's channel: the PBX's own record of the call, with the billable
     * seconds it bills. It comes just before the channel's Hangup, and once per dial if the channel dials more than
     * once. Its times are the Asterisk host's local time without a zone, so the record carries times derived from
     * our clock and its durations instead.
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
        send(e.getUniqueId(), new CallRecord(e.getUniqueId(), AsteriskAccounts.of(e.getAccountCode(), e.getChannel()),
                e.getDestination(), now.minusSeconds(duration), answered ? now.minusSeconds(billable) : null, now,
                duration, billable, e.getDisposition(), now));
    }

    private void send(org.tollguard.pbx.CallEvent event) {
        send(event.callId(), event);
    }

    private void send(String callId, org.tollguard.pbx.PbxEvent event) {
        List<org.tollguard.pbx.PbxEvent> waiting = held.get(callId);
        if (waiting != null) {
            waiting.add(event);
        } else {
            listener.onEvent(event);
        }
    }

    /** Rebuilds from CoreShowChannels after a (re)connect. */
    List<LiveCall> resync(Collection<ResponseEvent> events) {
        Instant now = clock.instant();
        List<LiveCall> calls = new ArrayList<>();
        Map<String, String> fresh = new ConcurrentHashMap<>();
        for (ResponseEvent r : events) {
            if (!(r instanceof CoreShowChannelEvent c) || !AsteriskAccounts.isPhoneChannel(c.getChannel())
                    || c.getUniqueid() == null || (c.getLinkedid() != null && !c.getUniqueid().equals(c.getLinkedid()))) {
                continue;
            }
            Instant started = now.minus(parseDuration(c.getDuration()));
            Instant answered = Integer.valueOf(6).equals(c.getChannelState()) ? started : null;
            fresh.put(c.getUniqueid(), c.getChannel());
            calls.add(new LiveCall(c.getUniqueid(), AsteriskAccounts.of(c.getAccountcode(), c.getChannel()),
                    c.getCallerIdNum(), c.getExten() != null ? c.getExten() : c.getExtension(), null, started, answered));
        }
        channels.clear();
        channels.putAll(fresh);
        held.keySet().retainAll(fresh.keySet());
        return calls;
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
