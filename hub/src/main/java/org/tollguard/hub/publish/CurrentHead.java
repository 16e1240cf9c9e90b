package org.tollguard.hub.publish;

/** The list's current {@code head.json}, its signature and generation (0 before the first publication). */
public record CurrentHead(long generation, byte[] body, String signature, String sha256) {}
