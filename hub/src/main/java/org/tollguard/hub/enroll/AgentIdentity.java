package org.tollguard.hub.enroll;

/** The agent a request comes from, as its credential says: every report is stored as this agent's. */
public record AgentIdentity(long agentId, long siteId, String site) {}
