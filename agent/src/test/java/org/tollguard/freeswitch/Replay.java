package org.tollguard.freeswitch;

import java.nio.charset.StandardCharsets;
import org.tollguard.freeswitch.esl.Captures;
import org.tollguard.freeswitch.esl.Frames;

/** Real FreeSWITCH 1.10.12 text (../shared/freeswitch/), as captured or with one header changed. */
final class Replay {
    static final String SVCRACK_FAILURE = "raw-register/002-CUSTOM-sofia_register_failure.txt";
    static final String SVCRACK_PRE_REGISTER = "raw-register/001-CUSTOM-sofia_pre_register.txt";
    static final String REGISTER_PRE_REGISTER = "raw-register-sipp/001-CUSTOM-sofia_pre_register.txt";
    static final String REGISTER_ATTEMPT_RENEWED = "raw-register-sipp/002-CUSTOM-sofia_register_attempt.txt";
    static final String REGISTER_SUCCESS = "raw-register-sipp/003-CUSTOM-sofia_register.txt";
    static final String REGISTER_ATTEMPT_FORBIDDEN = "raw-register-sipp/005-CUSTOM-sofia_register_attempt.txt";
    static final String WRONG_PASSWORD_FAILURE = "raw-register-sipp/006-CUSTOM-sofia_register_failure.txt";
    static final String UNKNOWN_USER_FAILURE = "raw-register-sipp/009-CUSTOM-sofia_register_failure.txt";
    static final String INVITE_ATTEMPT = "raw-invite-authfail-ALL/003-CUSTOM-sofia_register_attempt.txt";
    static final String INVITE_FAILURE = "raw-invite-authfail-ALL/004-CUSTOM-sofia_register_failure.txt";
    static final String INVITE_REJECTED_HANGUP = "raw-invite-authfail-ALL/009-CHANNEL_HANGUP_COMPLETE.txt";
    static final String CALL_CREATE = "raw-call-sip/001-CHANNEL_CREATE.txt";
    static final String CALL_ANSWER = "raw-call-sip/002-CHANNEL_ANSWER.txt";
    static final String CALL_HANGUP = "raw-call-sip/003-CHANNEL_HANGUP_COMPLETE.txt";
    static final String CALL_UUID = "3eaf38ab-bf5f-4c15-9750-c43aa89f104b";
    /** The outbound a-half of {@code originate loopback/9196 &echo}. */
    static final String LOOPBACK_A_CREATE = "raw-call-loopback/001-CHANNEL_CREATE.txt";
    /**
     * The provider of the runs in raw-json-events and show-channels was {@code loopback/0201234567} into context
     * {@code fake-provider}: with this as {@code trunk-leg-prefixes} their loopback a-leg is the call's leg to the
     * provider, as a {@code sofia/gateway/} leg would be on a real PBX.
     */
    static final java.util.List<String> CAPTURED_PROVIDER = java.util.List.of("loopback/");

    private Replay() {}

    static byte[] capture(String relative) {
        return Captures.bytes(relative);
    }

    /**
     * The capture with every {@code name: ...} line of the event body replaced by {@code name: value} (value
     * URL-encoded as FreeSWITCH would; a null value removes the line), and the outer Content-Length fixed.
     */
    static byte[] with(byte[] capture, String name, String value) {
        String s = new String(capture, StandardCharsets.UTF_8);
        int split = s.indexOf("\n\n");
        String body = s.substring(split + 2);
        StringBuilder out = new StringBuilder();
        boolean found = false;
        for (String line : body.split("\n", -1)) {
            if (line.startsWith(name + ": ")) {
                found = true;
                if (value != null) {
                    out.append(name).append(": ").append(Frames.fsUrlEncode(value)).append('\n');
                }
            } else {
                out.append(line).append('\n');
            }
        }
        String newBody = out.substring(0, out.length() - 1);
        if (!found && value != null) {
            // before the blank line that ends the headers
            int end = newBody.indexOf("\n\n");
            newBody = newBody.substring(0, end + 1) + name + ": " + Frames.fsUrlEncode(value) + "\n"
                    + newBody.substring(end + 1);
        }
        byte[] b = newBody.getBytes(StandardCharsets.UTF_8);
        return Frames.concat(Frames.utf8("Content-Length: " + b.length + "\nContent-Type: text/event-plain\n\n"), b);
    }

    /**
     * A leg to the captured provider for call {@code callUuid}: the captured loopback a-leg ({@link
     * #LOOPBACK_A_CREATE}) with its own id and its {@code Channel-Call-UUID} (the originator's, as the b-leg of
     * raw-json-events/058 has it) set. A trunk leg with {@link #CAPTURED_PROVIDER}.
     */
    static byte[] providerLegFor(String callUuid, String legUuid) {
        return with(with(LOOPBACK_A_CREATE, "Unique-ID", legUuid), "Channel-Call-UUID", callUuid);
    }

    /** Any captured frame, plain or JSON, with every occurrence of {@code from} in its body replaced. */
    static byte[] replaced(byte[] frame, String from, String to) {
        String s = new String(frame, StandardCharsets.UTF_8);
        int split = s.indexOf("\n\n");
        String contentType = s.substring(0, split).lines().filter(l -> l.startsWith("Content-Type:")).findFirst()
                .orElseThrow();
        byte[] body = s.substring(split + 2).replace(from, to).getBytes(StandardCharsets.UTF_8);
        return Frames.concat(Frames.utf8("Content-Length: " + body.length + "\n" + contentType + "\n\n"), body);
    }

    static byte[] with(String relative, String name, String value) {
        return with(capture(relative), name, value);
    }
}
