package org.tollguard.decision;

/** A decision in force, with where its enforcement stands: what {@code bans}, {@code status} and metrics show. */
public record ActiveDecision(Decision decision, Enforcement enforcement) {}
