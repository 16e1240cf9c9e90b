package org.tollguard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.tollguard.protocol.minisign.MinisignException;
import org.tollguard.protocol.minisign.MinisignPublicKey;

/**
 * {@code hub:} the tollguard hub this agent is enrolled with (docs/hub-protocol.md). A {@code hub} list source
 * and {@code blacklist.reporting} both talk to it, with the credential {@code tollguard enroll URL TOKEN} wrote.
 *
 * @param url            the hub's base URL, e.g. {@code https://hub.example.org}
 * @param credentialFile where {@code tollguard enroll} keeps the agent's credential, the list name and the list's
 *                       public keys (mode 0600); default {@code /var/lib/tollguard/hub-enrollment.json}
 * @param caFile         a PEM file of the CA(s) the hub's certificate must chain to, instead of the system store
 * @param publicKeys     the minisign public keys the list must be signed with (one or two, for a key rotation);
 *                       default: the keys the hub gave at enrollment
 * @param pollInterval   how often the list's small signed head and the site's policy are asked for (conditional
 *                       requests); default 5s (a portal block must reach the PBX within seconds), at most 60s (a change on the hub holds within a minute)
 * @param pinned         settings the local config keeps whatever the hub's policy says (delta, max-concurrent,
 *                       max-duration, blocked-categories, blocked-prefixes, allowed-networks)
 */
public record HubConfig(String url, Path credentialFile, Path caFile, List<String> publicKeys, Duration pollInterval,
                        List<String> pinned) {
    public static final Path DEFAULT_CREDENTIAL_FILE = Path.of("/var/lib/tollguard/hub-enrollment.json");
    /** Two keys at once: the old and the new one while the hub's key is rotated. */
    public static final int MAX_PUBLIC_KEYS = 2;

    public HubConfig {
        url = BlacklistConfig.checkUrl("url", url, false);
        url = url == null ? null : url.replaceAll("/+$", "");
        credentialFile = credentialFile == null ? DEFAULT_CREDENTIAL_FILE : credentialFile;
        publicKeys = publicKeys == null ? List.of() : List.copyOf(publicKeys);
        if (publicKeys.size() > MAX_PUBLIC_KEYS) {
            throw new IllegalArgumentException("public-keys: at most " + MAX_PUBLIC_KEYS + " keys (the current one and"
                    + " the next, during a rotation), not " + publicKeys.size());
        }
        for (int i = 0; i < publicKeys.size(); i++) {
            try {
                MinisignPublicKey.parse(publicKeys.get(i));
            } catch (MinisignException | RuntimeException e) {
                throw new IllegalArgumentException("public-keys[" + i + "]: not a minisign public key ("
                        + e.getMessage() + "); write the one-line form, e.g. RWQ...");
            }
        }
        pollInterval = pollInterval == null ? Duration.ofSeconds(5) : pollInterval;
        if (pollInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("poll-interval: must be 1s or longer");
        }
        if (pollInterval.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("poll-interval: at most 60s (a change on the hub must hold within a"
                    + " minute)");
        }
        pinned = pinned == null ? List.of() : List.copyOf(pinned);
    }

    public HubConfig(String url, Path credentialFile, Path caFile, List<String> publicKeys, Duration pollInterval) {
        this(url, credentialFile, caFile, publicKeys, pollInterval, null);
    }

    public static HubConfig defaults() {
        return new HubConfig(null, null, null, null, null);
    }

    public boolean configured() {
        return url != null;
    }

    /** The pinned keys from this file, parsed (checked in the constructor). */
    public List<MinisignPublicKey> parsedPublicKeys() {
        return publicKeys.stream().map(k -> {
            try {
                return MinisignPublicKey.parse(k);
            } catch (MinisignException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
