package org.tollguard.protocol;

import java.time.Instant;
import java.util.List;

/**
 * The whole list as of {@code generation}. {@code count} is the number of entries, so a truncated body is told
 * from a short list. Published once as an immutable, content-addressed, signed file.
 */
public record Snapshot(
        int protocol,
        String list,
        long generation,
        Instant created,
        Instant expires,
        int count,
        List<ListEntry> entries) {}
