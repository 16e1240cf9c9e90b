package org.tollguard.asterisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.asteriskjava.manager.event.CdrEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.junit.jupiter.api.Test;
import org.tollguard.pbx.CallEnded;
import org.tollguard.pbx.CallRecord;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.PbxEvent;
import org.tollguard.support.MutableClock;

/** Asterisk's Cdr events (fields as the testbed's Asterisk 22 sends them) become the PBX's call records. */
class AmiCdrEventTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T19:09:59.400Z"));
    private final List<PbxEvent> events = new ArrayList<>();
    private final AmiCallTracker tracker = new AmiCallTracker(clock, events::add, new CallDirection(List.of(), List.of()));

    /** The phone's call as the tracker saw it start: Newchannel, its address, Dial to the provider. */
    private void outgoing(String channel, String uniqueId) {
        NewChannelEvent start = new NewChannelEvent(new Object());
        start.setChannel(channel);
        start.setUniqueId(uniqueId);
        start.setLinkedid(uniqueId);
        start.setAccountCode("1002");
        start.setExten("09001234567");
        tracker.starting(start, clock.instant());
        tracker.sourceKnown(uniqueId, null);
        DialBeginEvent dial = new DialBeginEvent(new Object());
        dial.setUniqueId(uniqueId);
        dial.setLinkedId(uniqueId);
        dial.setDestChannel("PJSIP/provider-00000019");
        dial.setDialString("09001234567@provider");
        tracker.dialling(dial);
        assertTrue(events.remove(0) instanceof CallStarted);
    }

    private static CdrEvent cdr(String channel, String uniqueId, String answerTime, int duration, int billsec,
                                String disposition) {
        CdrEvent e = new CdrEvent(new Object());
        e.setAccountCode("1002");
        e.setSrc("1002");
        e.setDestination("09001234567");
        e.setDestinationContext("from-phones");
        e.setChannel(channel);
        e.setStartTime("2026-11-22 19:09:56");
        e.setAnswerTime(answerTime);
        e.setEndTime("2026-11-22 19:09:59");
        e.setDuration(duration);
        e.setBillableSeconds(billsec);
        e.setDisposition(disposition);
        e.setUniqueId(uniqueId);
        return e;
    }

    @Test
    void thePhoneChannelsRecordCarriesTheBillableSeconds() {
        outgoing("PJSIP/1002-00000018", "tg-pbx-1795374596.50");
        tracker.recorded(cdr("PJSIP/1002-00000018", "tg-pbx-1795374596.50", "2026-11-22 19:09:56", 2, 2, "ANSWERED"));
        assertEquals(1, events.size());
        CallRecord r = (CallRecord) events.get(0);
        assertEquals("tg-pbx-1795374596.50", r.callId());
        assertEquals("1002", r.account());
        assertEquals("09001234567", r.destination());
        assertEquals(2, r.billableSeconds());
        assertEquals(2, r.durationSeconds());
        assertEquals("ANSWERED", r.disposition());
        assertEquals(clock.instant(), r.ended());
        assertEquals(clock.instant().minusSeconds(2), r.answered());
    }

    @Test
    void localLegsAreNotCallsAndUnansweredCallsHaveNoAnswer() {
        tracker.recorded(cdr("Local/09001234567@fake-provider-0000000d;2", "tg-pbx-1795374596.52",
                "2026-11-22 19:09:56", 2, 2, "ANSWERED"));
        assertTrue(events.isEmpty(), "the provider leg is not a phone's call");
        tracker.recorded(cdr("PJSIP/1002-00000017", "tg-pbx-1795374591.49", "", 0, 0, "NO ANSWER"));
        assertTrue(events.isEmpty(), "not a call the tracker saw dial out");
        outgoing("PJSIP/1002-00000017", "tg-pbx-1795374591.49");
        tracker.recorded(cdr("PJSIP/1002-00000017", "tg-pbx-1795374591.49", "", 0, 0, "NO ANSWER"));
        CallRecord r = (CallRecord) events.get(0);
        assertNull(r.answered());
        assertEquals(0, r.billableSeconds());
    }

    @Test
    void aRecordThatComesJustAfterTheHangupStillReachesTheEngines() {
        outgoing("PJSIP/1002-00000018", "tg-pbx-1795374596.50");
        tracker.hungUp(hangup("tg-pbx-1795374596.50"));
        assertTrue(events.remove(0) instanceof CallEnded);
        tracker.recorded(cdr("PJSIP/1002-00000018", "tg-pbx-1795374596.50", "2026-11-22 19:09:56", 2, 2, "ANSWERED"));
        assertEquals(1, events.size());
        assertEquals(2, ((CallRecord) events.get(0)).billableSeconds());
    }

    @Test
    void aLateRecordOfACallThatWasNeverReportedIsDropped() {
        NewChannelEvent start = new NewChannelEvent(new Object());
        start.setChannel("PJSIP/1002-00000020");
        start.setUniqueId("tg-pbx-1795374600.60");
        start.setLinkedid("tg-pbx-1795374600.60");
        start.setAccountCode("1002");
        start.setExten("1001");
        tracker.starting(start, clock.instant()); // an internal call: it never dials a trunk
        tracker.hungUp(hangup("tg-pbx-1795374600.60"));
        events.clear();
        tracker.recorded(cdr("PJSIP/1002-00000020", "tg-pbx-1795374600.60", "2026-11-22 19:09:56", 2, 2, "ANSWERED"));
        assertTrue(events.isEmpty(), events.toString());
    }

    private static HangupEvent hangup(String uniqueId) {
        HangupEvent e = new HangupEvent(new Object());
        e.setUniqueId(uniqueId);
        e.setCause(16);
        return e;
    }
}
