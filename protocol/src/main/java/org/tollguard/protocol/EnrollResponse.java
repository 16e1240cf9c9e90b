package org.tollguard.protocol;

import java.util.List;

/**
 * The answer to an enrollment: the agent's own {@code credential} (sent as {@code Authorization: Bearer} from
 * now on; the hub keeps only its hash, so it is shown this once), the site it belongs to, and where the
 * community list is published with the public keys it is signed with.
 */
public record EnrollResponse(
        int protocol,
        String agentId,
        String site,
        String credential,
        String list,
        List<String> publicKeys) {}
