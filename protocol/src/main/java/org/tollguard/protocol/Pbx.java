package org.tollguard.protocol;

/** The PBX an agent guards: {@code kind} is asterisk or freeswitch; {@code version} may be null. */
public record Pbx(String kind, String version) {}
