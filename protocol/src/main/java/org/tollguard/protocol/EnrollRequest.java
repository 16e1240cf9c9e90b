package org.tollguard.protocol;

/**
 * {@code POST /v1/enroll}: an agent exchanges the one-time enrollment token an operator gave it for its own
 * credential. {@code hostname} and {@code agentVersion} are for the operator's view only.
 */
public record EnrollRequest(int protocol, String token, String hostname, String agentVersion) {}
