package org.tollguard.asterisk;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.AuthKind;
import org.tollguard.pbx.RemoteAddress;

/**
 * Turns an AMI security event into a PBX-neutral {@link AuthEvent}. The source address comes only from
 * {@code RemoteAddress} (the socket Asterisk read from); anything malformed is rejected with a log line.
 */
final class SecurityEventMapper {
    private static final Logger log = LoggerFactory.getLogger(SecurityEventMapper.class);

    private SecurityEventMapper() {}

    static Optional<AuthEvent> map(AmiSecurityEvent e, Instant now) {
        RemoteAddress remote;
        try {
            remote = RemoteAddress.parseAsterisk(e.getRemoteAddress());
        } catch (IllegalArgumentException ex) {
            log.warn("security event rejected type={} service={} account=\"{}\" reason=\"{}\"", e.type(), e.getService(),
                    clean(e.getAccountId()), ex.getMessage());
            return Optional.empty();
        }
        InetAddress local = null;
        if (e.getLocalAddress() != null) {
            try {
                local = RemoteAddress.parseAsterisk(e.getLocalAddress()).address();
            } catch (IllegalArgumentException ex) {
                log.debug("security event has unreadable LocalAddress type={} value=\"{}\"", e.type(), e.getLocalAddress());
            }
        }
        if (remote.address().isAnyLocalAddress() || remote.address().equals(local)) {
            log.warn("security event rejected type={} address={} reason=\"source is the PBX itself or unspecified\"",
                    e.type(), e.getRemoteAddress());
            return Optional.empty();
        }
        return Optional.of(new AuthEvent(e.outcome(), e.type(), kind(e.type()), remote.address(), remote.port(),
                remote.transport(), clean(e.getService()), clean(e.getAccountId()), clean(e.getSessionId()), "", local,
                now));
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
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) : printable;
    }
}
