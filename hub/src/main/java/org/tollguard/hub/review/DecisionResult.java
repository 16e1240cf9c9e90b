package org.tollguard.hub.review;

import java.util.List;

/** What a bulk decision did: how many addresses it changed, and which it left alone and why. */
public record DecisionResult(int done, List<String> skipped) {}
