package org.tollguard.protocol;

import java.time.Instant;

/** One listed network (an address or CIDR); {@code reason} and {@code expires} may be null. */
public record ListEntry(String network, String reason, Instant expires) {}
