package org.tollguard.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.tollguard.yamlconfig.Checks;
import org.tollguard.yamlconfig.Secret;

/**
 * {@code hub:} the reseller portal's hub this agent takes its site policy from. Off unless {@code url} is set.
 *
 * @param url            the hub's base URL (https://hub.example.net/)
 * @param credential     the agent's credential from enrollment
 * @param site           the site id the hub enrolled this agent for (the policy must be signed for it)
 * @param publicKeys     the hub's minisign public keys (the key line of each .pub file) a policy must be signed with
 * @param pinned         keys the local config keeps whatever the hub says (delta, max-concurrent, max-duration,
 *                       blocked-categories, blocked-prefixes, allowed-networks)
 * @param pollInterval   how often the policy is asked for (conditional; default 5s, at most 60s)
 * @param policyFile     where the last good policy is kept (default: beside the store)
 */
public record HubLinkConfig(URI url, Secret credential, Long site, List<String> publicKeys, List<String> pinned,
                            Duration pollInterval, Path policyFile) {
    public HubLinkConfig {
        publicKeys = publicKeys == null ? List.of() : List.copyOf(publicKeys);
        pinned = pinned == null ? List.of() : List.copyOf(pinned);
        pollInterval = pollInterval == null ? Duration.ofSeconds(5) : pollInterval;
        Checks.positive("poll-interval", pollInterval);
        if (pollInterval.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("poll-interval: at most 60s (a changed cap must hold within a minute)");
        }
        if (url != null) {
            if (credential == null || credential.isEmpty() || site == null || publicKeys.isEmpty()) {
                throw new IllegalArgumentException("hub: with url set, credential, site and public-keys are needed too");
            }
        }
    }

    public static HubLinkConfig off() {
        return new HubLinkConfig(null, null, null, null, null, null, null);
    }

    public boolean enabled() {
        return url != null;
    }
}
