package org.tollguard.pbx;

/**
 * What an authentication event was, in words that are the same for every PBX: what evidence, reports and the hub
 * show. The PBX's own name stays in {@link AuthEvent#type()} for logs.
 */
public enum AuthKind {
    /** A 401/407 challenge was sent (Asterisk ChallengeSent, FreeSWITCH sofia::pre_register). */
    CHALLENGE("challenge"),
    /** Credentials were accepted. */
    AUTHENTICATED("authenticated"),
    /** A known account with a wrong password. */
    WRONG_PASSWORD("wrong-password"),
    /** An account the PBX does not have. */
    UNKNOWN_ACCOUNT("unknown-account"),
    /** Refused credentials where the PBX does not say whether the account or the password was wrong. */
    AUTH_FAILED("auth-failed"),
    /** Refused by an address list (ACL) before any password. */
    ACL_REFUSED("acl-refused"),
    /** A request the account may not make, or an authentication method it may not use. */
    REQUEST_REFUSED("request-refused"),
    /** A malformed request. */
    BAD_REQUEST("bad-request"),
    /** From an address the account is not expected at. */
    UNEXPECTED_ADDRESS("unexpected-address"),
    /** Over a transport the account may not use. */
    INVALID_TRANSPORT("invalid-transport"),
    /** Not an authentication attempt: a limit or an unsupported request the PBX reports (logged only). */
    NOTICE("notice");

    private final String id;

    AuthKind(String id) {
        this.id = id;
    }

    /** The label in evidence and reports, e.g. {@code wrong-password}. */
    public String id() {
        return id;
    }
}
