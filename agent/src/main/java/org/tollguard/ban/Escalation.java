package org.tollguard.ban;

import java.time.Duration;
import org.tollguard.config.BanConfig;

/** How long a ban lasts given how often the address was banned before: bantime x factor^n, capped. */
final class Escalation {
    private final Duration bantime;
    private final int factor;
    private final Duration max;
    private final int permanentAfter;

    Escalation(BanConfig config) {
        this.bantime = config.bantime();
        this.factor = config.bantimeFactor();
        this.max = config.bantimeMax();
        this.permanentAfter = config.permanentAfter();
    }

    /** The ban length after {@code previousBans} earlier bans; null means permanent. */
    Duration durationAfter(int previousBans) {
        if (permanentAfter > 0 && previousBans >= permanentAfter) {
            return null;
        }
        Duration d = bantime;
        for (int i = 0; i < previousBans && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(factor);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
