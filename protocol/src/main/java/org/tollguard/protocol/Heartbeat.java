package org.tollguard.protocol;

/** {@code POST /v1/heartbeat}: a placeholder today (the hub records when the agent was last seen); issue 15. */
public record Heartbeat(int protocol, String agentVersion) {}
