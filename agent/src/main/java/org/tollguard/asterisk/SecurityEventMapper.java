package org.tollguard.asterisk;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.AuthKind;
import org.tollguard.pbx.AuthOutcome;
import org.tollguard.pbx.RemoteAddress;

/**
 * Turns an AMI security event into a PBX-neutral {@link AuthEvent}. The source address comes only from
 * {@code RemoteAddress} (the socket Asterisk read from); anything malformed is rejected with a log line.
 */
final class SecurityEventMapper {
    private static final Logger log = LoggerFactory.getLogger(SecurityEventMapper.class);
    private static final int MAX_TEXT = 80;

    /** Asterisk's 15 security events. */
    static final Map<String, AuthOutcome> OUTCOMES = Map.ofEntries(
            Map.entry("ChallengeResponseFailed", AuthOutcome.FAILED), Map.entry("InvalidPassword", AuthOutcome.FAILED),
            Map.entry("InvalidAccountID", AuthOutcome.FAILED), Map.entry("FailedACL", AuthOutcome.FAILED),
            Map.entry("RequestNotAllowed", AuthOutcome.FAILED), Map.entry("AuthMethodNotAllowed", AuthOutcome.FAILED),
            Map.entry("RequestBadFormat", AuthOutcome.FAILED), Map.entry("UnexpectedAddress", AuthOutcome.FAILED),
            Map.entry("InvalidTransport", AuthOutcome.FAILED), Map.entry("ChallengeSent", AuthOutcome.CHALLENGED),
            Map.entry("SuccessfulAuth", AuthOutcome.SUCCEEDED), Map.entry("RequestNotSupported", AuthOutcome.NOTICE),
            Map.entry("SessionLimit", AuthOutcome.NOTICE), Map.entry("MemoryLimit", AuthOutcome.NOTICE),
            Map.entry("LoadAverageLimit", AuthOutcome.NOTICE));

    /** The PBX's own address is the same in nearly every event: parsed once, not per event. */
    private record Local(String text, InetAddress address) {}

    private static volatile Local lastLocal = new Local(null, null);

    private SecurityEventMapper() {}

    /** Empty for a frame that is no security event, or one without a usable source. */
    static Optional<AuthEvent> map(AmiFrame e, Instant now) {
        String type = e.event();
        AuthOutcome outcome = type == null ? null : OUTCOMES.get(type);
        if (outcome == null) {
            return Optional.empty();
        }
        RemoteAddress remote;
        try {
            remote = RemoteAddress.parseAsterisk(e.remoteAddress());
        } catch (IllegalArgumentException ex) {
            log.warn("security event rejected type={} service={} account=\"{}\" reason=\"{}\"", type,
                    clean(e.service()), clean(e.accountId()), clean(ex.getMessage()));
            return Optional.empty();
        }
        InetAddress local = local(type, e.localAddress());
        if (remote.address().isAnyLocalAddress() || remote.address().equals(local)) {
            log.warn("security event rejected type={} address={} reason=\"source is the PBX itself or unspecified\"",
                    type, clean(e.remoteAddress()));
            return Optional.empty();
        }
        return Optional.of(new AuthEvent(outcome, type, kind(type), remote.address(), remote.port(),
                remote.transport(), clean(e.service()), clean(e.accountId()), clean(e.sessionId()), "", local, now));
    }

    private static InetAddress local(String type, String text) {
        if (text == null) {
            return null;
        }
        Local last = lastLocal;
        if (text.equals(last.text())) {
            return last.address();
        }
        InetAddress address = null;
        try {
            address = RemoteAddress.parseAsterisk(text).address();
        } catch (IllegalArgumentException ex) {
            log.debug("security event has unreadable LocalAddress type={} value=\"{}\"", type, clean(text));
        }
        lastLocal = new Local(text, address);
        return address;
    }

    /** Asterisk's security event name in PBX-neutral words. */
    static AuthKind kind(String type) {
        return switch (type) {
            case "ChallengeSent" -> AuthKind.CHALLENGE;
            case "SuccessfulAuth" -> AuthKind.AUTHENTICATED;
            case "InvalidPassword", "ChallengeResponseFailed" -> AuthKind.WRONG_PASSWORD;
            case "InvalidAccountID" -> AuthKind.UNKNOWN_ACCOUNT;
            case "FailedACL" -> AuthKind.ACL_REFUSED;
            case "RequestNotAllowed", "AuthMethodNotAllowed" -> AuthKind.REQUEST_REFUSED;
            case "RequestBadFormat" -> AuthKind.BAD_REQUEST;
            case "UnexpectedAddress" -> AuthKind.UNEXPECTED_ADDRESS;
            case "InvalidTransport" -> AuthKind.INVALID_TRANSPORT;
            default -> AuthKind.NOTICE; // RequestNotSupported, SessionLimit, MemoryLimit, LoadAverageLimit
        };
    }

    /** Account names are attacker-chosen: keep them printable and short. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        int n = Math.min(s.length(), MAX_TEXT);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return replaced(s, n);
            }
        }
        return n == s.length() ? s : s.substring(0, n);
    }

    private static String replaced(String s, int n) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            out[i] = c < 0x20 || c > 0x7e ? '?' : c;
        }
        return new String(out);
    }
}
