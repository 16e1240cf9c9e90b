package org.tollguard.hub.portal;

/** One PBX of a customer, with its agent (if one is enrolled) and the policy version in force. */
public record Site(long id, long customerId, String name, Long agentId, long policyVersion) {}
