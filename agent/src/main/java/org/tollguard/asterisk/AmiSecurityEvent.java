package org.tollguard.asterisk;

import org.asteriskjava.manager.AsteriskMapping;
import org.asteriskjava.manager.event.AbstractSecurityEvent;
import org.tollguard.pbx.AuthOutcome;

/**
 * Asterisk's 15 security events with one uniform shape. asterisk-java's own classes for them differ in their
 * getters (and lack some events), so we register these in their place.
 */
public abstract class AmiSecurityEvent extends AbstractSecurityEvent {
    private static final long serialVersionUID = 1L;

    protected AmiSecurityEvent(Object source) {
        super(source);
    }

    /** Asterisk's event name. */
    public final String type() {
        return getClass().getAnnotation(AsteriskMapping.class).value();
    }

    public abstract AuthOutcome outcome();

    abstract static class Failure extends AmiSecurityEvent {
        Failure(Object source) {
            super(source);
        }

        @Override
        public AuthOutcome outcome() {
            return AuthOutcome.FAILED;
        }
    }

    abstract static class Notice extends AmiSecurityEvent {
        Notice(Object source) {
            super(source);
        }

        @Override
        public AuthOutcome outcome() {
            return AuthOutcome.NOTICE;
        }
    }

    @AsteriskMapping("ChallengeResponseFailed")
    public static final class ChallengeResponseFailed extends Failure {
        public ChallengeResponseFailed(Object source) {
            super(source);
        }
    }

    @AsteriskMapping("InvalidPassword")
    public static final class InvalidPassword extends Failure {
        public InvalidPassword(Object source) {
            super(source);
        }
    }

    @AsteriskMapping("InvalidAccountID")
    public static final class InvalidAccountId extends Failure {
        public InvalidAccountId(Object source) {
            super(source);
        }
    }

    @AsteriskMapping("FailedACL")
    public static final class FailedAcl extends Failure {
        public FailedAcl(Object source) {
            super(source);
        }
    }

    @AsteriskMapping("RequestNotAllowed")
    public static final class RequestNotAllowed extends Failure {
        public RequestNotAllowed(Object source) {
            super(source);
        }
    }

    @AsteriskMapping("AuthMethodNotAllowed")
    public static final class AuthMethodNotAllowed extends Failure {
        public AuthMethodNotAllowed(Object source) {
            super(source);
        }
    }

    @AsteriskMapping("RequestBadFormat")
    public static final class RequestBadFormat extends Failure {
        public RequestBadFormat(Object source) {
            super(source);
        }
    }

    @AsteriskMapping("UnexpectedAddress")
    public static final class UnexpectedAddress extends Failure {
        public UnexpectedAddress(Object source) {
            super(source);
        }
    }

    @AsteriskMapping("InvalidTransport")
    public static final class InvalidTransport extends Failure {
        public InvalidTransport(Object source) {
            super(source);
        }
    }

    @AsteriskMapping("ChallengeSent")
    public static final class ChallengeSent extends AmiSecurityEvent {
        public ChallengeSent(Object source) {
            super(source);
        }

        @Override
        public AuthOutcome outcome() {
            return AuthOutcome.CHALLENGED;
        }
    }

    @AsteriskMapping("SuccessfulAuth")
    public static final class SuccessfulAuth extends AmiSecurityEvent {
        public SuccessfulAuth(Object source) {
            super(source);
        }

        @Override
        public AuthOutcome outcome() {
            return AuthOutcome.SUCCEEDED;
        }
    }

    @AsteriskMapping("RequestNotSupported")
    public static final class RequestNotSupported extends Notice {
        public RequestNotSupported(Object source) {
            super(source);
        }
    }

    @AsteriskMapping("SessionLimit")
    public static final class SessionLimit extends Notice {
        public SessionLimit(Object source) {
            super(source);
        }
    }

    @AsteriskMapping("MemoryLimit")
    public static final class MemoryLimit extends Notice {
        public MemoryLimit(Object source) {
            super(source);
        }
    }

    @AsteriskMapping("LoadAverageLimit")
    public static final class LoadAverageLimit extends Notice {
        public LoadAverageLimit(Object source) {
            super(source);
        }
    }

    /** All 15, for registration with the connection. */
    static final java.util.List<Class<? extends AmiSecurityEvent>> ALL = java.util.List.of(
            ChallengeResponseFailed.class, InvalidPassword.class, InvalidAccountId.class, FailedAcl.class,
            RequestNotAllowed.class, AuthMethodNotAllowed.class, RequestBadFormat.class, UnexpectedAddress.class,
            InvalidTransport.class, ChallengeSent.class, SuccessfulAuth.class, RequestNotSupported.class,
            SessionLimit.class, MemoryLimit.class, LoadAverageLimit.class);
}
