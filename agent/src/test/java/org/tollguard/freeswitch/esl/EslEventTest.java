package org.tollguard.freeswitch.esl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tollguard.freeswitch.esl.Frames.pairs;
import static org.tollguard.freeswitch.esl.Frames.utf8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EslEventTest {

    static EslEvent parse(byte[] frame) throws IOException {
        return EslEvent.parse(new EslFrameReader(new ByteArrayInputStream(frame)).read());
    }

    static EslEvent capture(String relative) throws IOException {
        return parse(Captures.bytes(relative));
    }

    /** An independent decoder for the oracle: java.net.URLDecoder, with '+' kept literal as FreeSWITCH does. */
    private static String oracleDecode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Test
    void everyCapturedEventParsesWithEveryHeaderUrlDecoded() throws IOException {
        for (Path p : Captures.rawEvents()) {
            byte[] file = Captures.bytes(p);
            EslEvent e = parse(file);
            Map<String, List<String>> expected = new LinkedHashMap<>();
            for (String[] h : Frames.rawInnerHeaders(file)) {
                String v = oracleDecode(h[1]);
                List<String> values = expected.computeIfAbsent(h[0], k -> new ArrayList<>());
                if (v.startsWith("ARRAY::")) {
                    values.addAll(List.of(v.substring(7).split(Pattern.quote("|:"), -1)));
                } else {
                    values.add(v);
                }
            }
            assertEquals(expected, e.headers(), p.toString());
            assertNull(e.body(), p.toString());

            // 002-CUSTOM-sofia_pre_register.txt -> CUSTOM / sofia::pre_register; 001-CHANNEL_CREATE.txt -> CHANNEL_CREATE
            String stem = p.getFileName().toString().replaceFirst("^\\d+-", "").replace(".txt", "");
            if (stem.startsWith("CUSTOM-")) {
                assertEquals("CUSTOM", e.name(), p.toString());
                assertEquals(stem.substring(7).replaceFirst("_", "::"), e.subclass(), p.toString());
                assertTrue(e.isCustom(e.subclass()));
            } else {
                assertEquals(stem, e.name(), p.toString());
                assertNull(e.subclass(), p.toString());
            }
        }
    }

    @Test
    void registerFailureFromSvcrack() throws IOException {
        EslEvent e = capture("raw-register/002-CUSTOM-sofia_register_failure.txt");
        assertTrue(e.isCustom("sofia::register_failure"));
        assertEquals("127.0.0.1", e.header("network-ip"));
        assertEquals("5061", e.header("network-port"));
        assertEquals("1000", e.header("to-user"));
        assertEquals("friendly-scanner", e.header("user-agent"));
        assertEquals("REGISTER", e.header("registration-type"));
        assertEquals(List.of("internal", "internal"), e.headerValues("profile-name"));
        assertEquals("internal", e.header("PROFILE-NAME"));
        assertEquals("fd00::2", e.header("FreeSWITCH-IPv6"));
        assertEquals("2026-11-22 17:56:52", e.header("Event-Date-Local"));
        assertEquals("Sun, 22 Nov 2026 17:56:52 GMT", e.header("Event-Date-GMT"));
    }

    @Test
    void registerFailureOfAnInviteCarriesTheDialledNumber() throws IOException {
        EslEvent e = capture("raw-invite-authfail-ALL/004-CUSTOM-sofia_register_failure.txt");
        assertEquals("INVITE", e.header("registration-type"));
        assertEquals("9196", e.header("to-user"));
        assertEquals("sipp-test", e.header("user-agent"));
    }

    @Test
    void hangupCompleteKeepsRepeatedHangupCauseAndDecodesPlus() throws IOException {
        EslEvent e = capture("raw-call-sip/003-CHANNEL_HANGUP_COMPLETE.txt");
        assertEquals("CHANNEL_HANGUP_COMPLETE", e.name());
        assertEquals(List.of("NORMAL_CLEARING", "NORMAL_CLEARING"), e.headerValues("Hangup-Cause"));
        assertEquals("Sun, 22 Nov 2026 18:00:06 +0000", e.header("variable_RFC2822_DATE"));
        EslEvent answer = capture("raw-call-sip/002-CHANNEL_ANSWER.txt");
        // sent as variable_DP_MATCH: ARRAY::DELAYED%20NEGOTIATION|:DELAYED%20NEGOTIATION
        assertEquals(List.of("DELAYED NEGOTIATION", "DELAYED NEGOTIATION"), answer.headerValues("variable_DP_MATCH"));
        assertTrue(answer.header("variable_switch_r_sdp").startsWith("v=0\r\no=user1 53655765"));
        EslEvent rejected = capture("raw-invite-authfail-ALL/009-CHANNEL_HANGUP_COMPLETE.txt");
        assertEquals("CALL_REJECTED", rejected.header("Hangup-Cause"));
    }

    @Test
    void anEventBodyIsTakenByItsOwnContentLength() throws IOException {
        String output = "+OK Job done\nline two: é €\n";
        byte[] frame = FakeFreeSwitch.backgroundJob("7f4db0f2-1111-2222-3333-444455556666", "originate a b", output);
        EslEvent e = parse(frame);
        assertEquals("BACKGROUND_JOB", e.name());
        assertEquals(output, e.body());
        assertEquals("originate", e.header("Job-Command"));
        assertEquals("a b", e.header("Job-Command-Arg"));
        assertEquals(String.valueOf(utf8(output).length), e.header("Content-Length"));
    }

    @Test
    void everyCapturedJsonEventParses() throws IOException {
        int n = 0;
        for (Path p : Captures.rawDir("raw-json-events")) {
            String file = p.getFileName().toString(); // NNN-json-NAME[-subclass|-leg].txt
            if (!file.contains("-json-")) {
                continue;
            }
            EslEvent e = parse(Captures.bytes(p));
            String name = file.substring(9, file.length() - 4).split("-")[0];
            assertEquals(name, e.name(), file);
            if (name.equals("CUSTOM")) {
                assertEquals(file.substring(16, file.length() - 4).replaceFirst("_", "::"), e.subclass(), file);
            }
            assertTrue(e.header("Event-Sequence").matches("\\d+"), file + ": numbers are strings");
            assertNull(e.body(), file);
            n++;
        }
        assertEquals(26, n);
    }

    @Test
    void jsonEventsKeepRepeatedNamesAndArrayValues() throws IOException {
        EslEvent failure = capture("raw-json-events/006-json-CUSTOM-sofia_register_failure.txt");
        assertEquals(List.of("internal", "internal"), failure.headerValues("profile-name"));
        assertEquals("REGISTER", failure.header("registration-type"));
        EslEvent hangup = capture("raw-json-events/097-json-CHANNEL_HANGUP_COMPLETE-sofia.txt");
        assertEquals(List.of("NORMAL_CLEARING", "NORMAL_CLEARING"), hangup.headerValues("Hangup-Cause"));
        assertEquals("allow", hangup.header("variable_tollguard_result"));
        // "variable_DP_MATCH":["allow|","allow"]: an ARRAY channel variable is a JSON array
        assertEquals(List.of("allow|", "allow"), hangup.headerValues("variable_DP_MATCH"));
        assertEquals("8", hangup.header("variable_billsec"));
        EslEvent answer = capture("raw-json-events/074-json-CHANNEL_ANSWER-sofia.txt");
        assertEquals(List.of("allow|", "allow"), answer.headerValues("variable_DP_MATCH"));
    }

    @Test
    void aJsonBodyIsTakenFromUnderscoreBody() throws IOException {
        // not captured: no BACKGROUND_JOB was received in json; cJSON writes the body as "_body"
        EslEvent withBody = parse(Frames.eventJson(pairs("Event-Name", "BACKGROUND_JOB", "Job-UUID", "u1"), "out\n"));
        assertEquals("out\n", withBody.body());
        assertEquals("4", withBody.header("Content-Length"));
    }

    @Test
    void arrayHeadersBecomeSeveralValues() throws IOException {
        EslEvent plain = parse(Frames.eventPlain(pairs("Event-Name", "CUSTOM", "Event-Subclass", "x::y",
                "variable_list", "ARRAY::one|:two|:three"), null));
        assertEquals(List.of("one", "two", "three"), plain.headerValues("variable_list"));
        byte[] json = utf8("{\"Event-Name\":\"CUSTOM\",\"variable_list\":[\"one\",\"two\"],\"n\":5}");
        EslEvent j = parse(Frames.concat(utf8("Content-Length: " + json.length + "\nContent-Type: text/event-json\n\n"),
                json));
        assertEquals(List.of("one", "two"), j.headerValues("variable_list"));
        assertEquals("5", j.header("n"));
    }

    @Test
    void urlDecodingFollowsFreeSwitchNotHtmlForms() {
        assertEquals("a+b", decode("a+b"));
        assertEquals("+31201234567", decode("%2B31201234567"));
        assertEquals("€ é", decode("%E2%82%AC%20%C3%A9"));
        assertEquals("100%", decode("100%"));
        assertEquals("%zz%4", decode("%zz%4"));
        assertEquals("sip:1000@127.0.0.1", decode("sip%3A1000%40127.0.0.1"));
        assertEquals("lower", decode("%6cower"));
        for (String s : List.of("<sip:+31@x;tag=a b>", "\"quoted\" & ?#[]", "tab\there", "ünïcödé")) {
            assertEquals(s, decode(Frames.fsUrlEncode(s)), s);
        }
    }

    private static String decode(String s) {
        byte[] b = utf8(s);
        return EventParser.urlDecode(b, 0, b.length);
    }

    @Test
    void aGarbageLineInsideAnEventIsSkipped() throws IOException {
        byte[] inner = utf8("Event-Name: HEARTBEAT\nno colon on this line\nUp-Time: 0%20years\n\n");
        byte[] frame = Frames.concat(utf8("Content-Length: " + inner.length + "\nContent-Type: text/event-plain\n\n"),
                inner);
        EslEvent e = parse(frame);
        assertEquals("HEARTBEAT", e.name());
        assertEquals("0 years", e.header("Up-Time"));
        assertEquals(2, e.headers().size());
    }

    @Test
    void nonEventFramesAndBrokenJsonAreErrors() {
        assertThrows(IOException.class, () -> parse(Frames.apiResponse("+OK")));
        byte[] json = utf8("{\"Event-Name\":\"X\"");
        assertThrows(IOException.class, () -> parse(Frames.concat(
                utf8("Content-Length: " + json.length + "\nContent-Type: text/event-json\n\n"), json)));
    }
}
