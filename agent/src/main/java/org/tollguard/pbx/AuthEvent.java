package org.tollguard.pbx;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * An authentication event: a failure, a challenge or a success.
 *
 * @param type      the PBX's own name for it (e.g. {@code ChallengeResponseFailed}, {@code register_failure}), for logs
 * @param kind      what it was in PBX-neutral words: what evidence and reports show
 * @param address   the source address as the PBX saw it on the socket, never from a SIP header
 * @param port      source port, 0 if unknown
 * @param transport UDP, TCP, TLS, WS, WSS; empty if unknown
 * @param service   PJSIP, SIP, AMI, ARI, HTTP, ...
 * @param account   the account or user name tried; empty if none
 * @param sessionId the PBX's id for the exchange; empty if none
 * @param userAgent the claimed user agent where the PBX reports one; empty otherwise
 * @param pbxAddress the PBX's own address the request arrived on, null if unknown
 */
public record AuthEvent(
        AuthOutcome outcome,
        String type,
        AuthKind kind,
        InetAddress address,
        int port,
        String transport,
        String service,
        String account,
        String sessionId,
        String userAgent,
        InetAddress pbxAddress,
        Instant at) implements PbxEvent {

    public AuthEvent {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(at, "at");
        transport = Objects.requireNonNullElse(transport, "");
        service = Objects.requireNonNullElse(service, "");
        account = Objects.requireNonNullElse(account, "");
        sessionId = Objects.requireNonNullElse(sessionId, "");
        userAgent = Objects.requireNonNullElse(userAgent, "");
    }
}
