package org.tollguard.pbx;

import java.net.InetAddress;
import java.time.Instant;

/** A call in progress as the PBX lists it (for resynchronising after a reconnect). */
public record LiveCall(String callId, String account, String caller, String destination, InetAddress source,
                       Instant started, Instant answered) {}
