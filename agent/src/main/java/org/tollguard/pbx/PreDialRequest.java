package org.tollguard.pbx;

import java.net.InetAddress;

/** The PBX asks, before dialling out: may this call go ahead? */
public record PreDialRequest(String callId, String account, String caller, String destination, InetAddress source) {}
