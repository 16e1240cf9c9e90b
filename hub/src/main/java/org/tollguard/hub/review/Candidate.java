package org.tollguard.hub.review;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A line of the queue: an address (or a block of them) that agents reported and nobody decided on yet, with
 * its evidence and its score.
 *
 * @param key         the address, or the block's CIDR
 * @param addresses   how many reported addresses it holds (1 for an address)
 * @param operators   distinct operators who reported it (one operator with 200 PBXs is one voice)
 * @param sites       distinct sites (PBX installations) who reported it
 * @param trustSum    the sum, over those operators, of the best trust among each one's reporting sites
 * @param notSpoofed  a source completed a TCP/TLS handshake or answered a digest challenge
 */
public record Candidate(String key, int addresses, int operators, int sites, int reports, long failures,
                        int accounts, List<String> services, List<String> transports, boolean notSpoofed,
                        Instant firstSeen, Instant lastSeen, double trustSum, double score) {

    /** A source that may be spoofed (UDP only, no digest answer) counts half. */
    static final double SPOOFABLE_FACTOR = 0.5;

    /** The score in words, as the queue shows it. */
    public String explanation() {
        return String.format(Locale.ROOT, "%d operator%s, trust %.2f%s = %.2f", operators, operators == 1 ? "" : "s",
                trustSum, notSpoofed ? " (TCP/TLS or digest answer: not spoofed)" : " x 0.5 (UDP only: could be spoofed)",
                score);
    }

    public String scoreText() {
        return String.format(Locale.ROOT, "%.2f", score);
    }
}
