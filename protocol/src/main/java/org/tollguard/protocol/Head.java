package org.tollguard.protocol;

import java.time.Instant;
import java.util.List;

/**
 * The small signed pointer an agent polls: the list's current {@code generation}, the newest snapshot and the
 * changes files since it (and some before it, oldest first, so an agent a few generations behind needs only
 * those). {@code path}s are relative to the list's directory ({@code /v1/lists/NAME/}).
 */
public record Head(
        int protocol,
        String list,
        long generation,
        Instant created,
        Instant expires,
        FileRef snapshot,
        List<FileRef> changes) {

    /** An immutable published file: its path (named by its SHA-256), the SHA-256 and what it holds. */
    public record FileRef(String path, String sha256, long since, long generation, int count) {}
}
