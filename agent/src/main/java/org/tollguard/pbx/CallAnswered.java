package org.tollguard.pbx;

import java.time.Instant;

/** The far end answered: billing starts. */
public record CallAnswered(String callId, Instant at) implements CallEvent {}
