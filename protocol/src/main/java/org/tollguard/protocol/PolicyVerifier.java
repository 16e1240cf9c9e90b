package org.tollguard.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Decides whether a site policy may be applied: signed by a pinned key as this site's policy, its body saying
 * what the signature says, and a version not older than the one in force (a replayed or rolled-back policy is
 * refused). The signature's expiry bounds how long a captured policy could be replayed to a fresh agent.
 */
public final class PolicyVerifier {
    private final ListVerifier signatures;

    public PolicyVerifier(ListVerifier signatures) {
        this.signatures = signatures;
    }

    public SitePolicy verify(SignedPolicy signed, long site, long minVersion) throws ListRejectedException {
        if (signed.protocol() != ProtocolJson.VERSION || signed.policy() == null || signed.signature() == null) {
            throw new ListRejectedException("policy answer is incomplete (protocol, policy and signature needed)");
        }
        String name = SitePolicy.signedName(site);
        byte[] body = signed.policy().getBytes(StandardCharsets.UTF_8);
        TrustedComment comment = signatures.verify(body, signed.signature(), ListFile.POLICY, name, minVersion);
        SitePolicy policy;
        try {
            policy = ProtocolJson.mapper().readValue(body, SitePolicy.class);
        } catch (IOException e) {
            throw new ListRejectedException("policy of " + name + " is not valid JSON: " + e.getMessage(), e);
        }
        if (policy.protocol() != ProtocolJson.VERSION || policy.site() != site
                || policy.version() != comment.generation() || signed.version() != policy.version()) {
            throw new ListRejectedException("policy of " + name + " does not match its signature's trusted comment");
        }
        return policy;
    }
}
