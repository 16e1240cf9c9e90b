package org.tollguard.pbx;

/** Answers pre-dial requests; called on the pre-dial server's thread, must answer within milliseconds. */
@FunctionalInterface
public interface PreDialCheck {
    PreDialAnswer check(PreDialRequest request);
}
