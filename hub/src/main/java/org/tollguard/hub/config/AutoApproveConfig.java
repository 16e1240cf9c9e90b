package org.tollguard.hub.config;

import java.time.Duration;
import org.tollguard.yamlconfig.Checks;

/**
 * {@code auto-approve:} until the review queue exists, an address reported by {@code sites} distinct sites
 * within {@code window} is listed for {@code listed-for}, recorded as approved by this rule.
 */
public record AutoApproveConfig(Boolean enabled, Integer sites, Duration window, Duration listedFor) {
    public AutoApproveConfig {
        enabled = enabled == null || enabled;
        sites = sites == null ? 3 : sites;
        window = window == null ? Duration.ofHours(1) : window;
        listedFor = listedFor == null ? Duration.ofDays(7) : listedFor;
        Checks.atLeast("sites", sites, 2);
        Checks.positive("window", window);
        Checks.positive("listed-for", listedFor);
    }

    /** How the rule is named where it approved something. */
    public String ruleName() {
        return "rule:auto-approve(" + sites + " sites within " + org.tollguard.yamlconfig.Durations.format(window) + ")";
    }

    public static AutoApproveConfig defaults() {
        return new AutoApproveConfig(null, null, null, null);
    }
}
