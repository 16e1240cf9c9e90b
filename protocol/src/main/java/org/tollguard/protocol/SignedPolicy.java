package org.tollguard.protocol;

/**
 * {@code GET /v1/policy}: the site's {@link SitePolicy} as the exact signed text, and its minisign signature, in
 * one answer so that a policy and its signature can never come from two different versions.
 */
public record SignedPolicy(int protocol, long version, String policy, String signature) {}
