package org.tollguard.config;

import java.time.Duration;
import java.util.List;
import org.tollguard.net.Cidr;
import org.tollguard.yamlconfig.Durations;
import org.tollguard.yamlconfig.Checks;

/**
 * {@code ban:} when an address is banned (in fail2ban's words: the jail), for how long, and who never is.
 *
 * @param windows              failure thresholds over sliding windows; any one crossed bans the address
 * @param enumeration          distinct account names tried from one address within a window
 * @param challengeGrace       a ChallengeSent not answered within this time counts as a failure
 * @param bantime              the first ban's length
 * @param bantimeFactor        each further ban of the same address lasts this many times longer
 * @param bantimeMax           no ban lasts longer than this ...
 * @param permanentAfter       ... unless the address was already banned this many times (0 = never permanent)
 * @param allowlist            addresses and networks that are never banned
 * @param trustAfterSuccess    addresses that authenticated successfully within this time are alerted on, not
 *                             banned (0s turns trust off)
 * @param maxTrackedAddresses  cap on per-address state held in memory
 */
public record BanConfig(
        List<Window> windows,
        Enumeration enumeration,
        Duration challengeGrace,
        Duration bantime,
        Integer bantimeFactor,
        Duration bantimeMax,
        Integer permanentAfter,
        List<Cidr> allowlist,
        Duration trustAfterSuccess,
        Integer maxTrackedAddresses) {

    public static final List<Window> DEFAULT_WINDOWS = List.of(
            new Window("fast", 5, Duration.ofSeconds(60)),
            new Window("slow", 30, Duration.ofHours(6)));

    public BanConfig {
        if (windows != null) {
            Checks.noEmptyEntries("windows", windows);
        }
        windows = windows == null ? DEFAULT_WINDOWS : List.copyOf(windows);
        enumeration = enumeration == null ? new Enumeration(null, null) : enumeration;
        challengeGrace = challengeGrace == null ? Duration.ofSeconds(5) : challengeGrace;
        bantime = bantime == null ? Duration.ofHours(1) : bantime;
        bantimeFactor = bantimeFactor == null ? 4 : bantimeFactor;
        boolean bantimeMaxGiven = bantimeMax != null;
        bantimeMax = bantimeMax == null ? Duration.ofDays(30) : bantimeMax;
        permanentAfter = permanentAfter == null ? 0 : permanentAfter;
        if (allowlist != null) {
            Checks.noEmptyEntries("allowlist", allowlist);
        }
        allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
        trustAfterSuccess = trustAfterSuccess == null ? Duration.ofDays(7) : trustAfterSuccess;
        maxTrackedAddresses = maxTrackedAddresses == null ? 100_000 : maxTrackedAddresses;
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("windows: needs at least one window");
        }
        Checks.positive("challenge-grace", challengeGrace);
        Checks.positive("bantime", bantime);
        Checks.atLeast("bantime-factor", bantimeFactor, 1);
        if (bantimeMax.compareTo(bantime) < 0) {
            throw new IllegalArgumentException(bantimeMaxGiven
                    ? "bantime-max: " + Durations.format(bantimeMax) + " is shorter than bantime ("
                            + Durations.format(bantime) + ")"
                    : "bantime: " + Durations.format(bantime) + " is longer than bantime-max ("
                            + Durations.format(bantimeMax) + ", the default)");
        }
        Checks.atLeast("permanent-after", permanentAfter, 0);
        if (trustAfterSuccess.isNegative()) {
            throw new IllegalArgumentException("trust-after-success: must not be negative");
        }
        Checks.atLeast("max-tracked-addresses", maxTrackedAddresses, 1000);
    }

    public static BanConfig defaults() {
        return new BanConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** {@code failures} failures within {@code window} ban the address. */
    public record Window(String name, Integer failures, Duration window) {
        public Window {
            name = name == null ? "window" : name;
            if (failures == null || window == null) {
                throw new IllegalArgumentException("a window needs both failures and window");
            }
            Checks.atLeast("failures", failures, 1);
            Checks.positive("window", window);
        }
    }

    /** {@code accounts} distinct account names within {@code window} ban the address (0 turns it off). */
    public record Enumeration(Integer accounts, Duration window) {
        public Enumeration {
            accounts = accounts == null ? 10 : accounts;
            window = window == null ? Duration.ofMinutes(10) : window;
            Checks.atLeast("accounts", accounts, 0);
            Checks.positive("window", window);
        }
    }
}
