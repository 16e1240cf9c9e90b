package org.tollguard.hub.review;

import java.time.Instant;

/** A network on the published list: why, by whom (a person or a rule), since when and until when. */
public record ListedEntry(String network, String reason, String approvedBy, Instant approvedAt, Instant expires) {}
