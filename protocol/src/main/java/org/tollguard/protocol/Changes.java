package org.tollguard.protocol;

import java.time.Instant;
import java.util.List;

/**
 * What changed from generation {@code since} to {@code generation} (always {@code since + 1}: one file per
 * generation), in order; when a network appears several times the last change wins. Published once as an
 * immutable, content-addressed, signed file.
 */
public record Changes(
        int protocol,
        String list,
        long since,
        long generation,
        Instant created,
        Instant expires,
        List<Change> changes) {}
