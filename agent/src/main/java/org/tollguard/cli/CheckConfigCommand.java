package org.tollguard.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.spend.RateDeck;
import org.tollguard.spend.RateDeckException;
import org.tollguard.yamlconfig.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "check-config", description = "Validate a configuration file and print the effective configuration.")
final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "File to check (default: the --config file).")
    Path file;

    /** The kept hub policy, verified as the agent would, laid over the config: what holds and where it came from. */
    private static java.util.List<String> hubPolicy(TollguardConfig config) {
        java.nio.file.Path file = config.store().path().resolveSibling("hub-policy.json");
        org.tollguard.protocol.SitePolicy policy = null;
        try {
            var kept = new org.tollguard.policy.PolicyFile(file).read();
            if (kept.isPresent()) {
                var enrollment = org.tollguard.blacklist.Enrollment.load(config.hub());
                policy = new org.tollguard.protocol.PolicyVerifier(new org.tollguard.protocol.ListVerifier(
                        enrollment.trustedKeys(config.hub()), java.time.Clock.systemUTC()))
                        .verify(kept.get(), enrollment.requireSiteId(), 0);
            }
        } catch (Exception e) {
            System.err.println("tollguard: hub policy kept in " + file + " is not used: " + e.getMessage());
        }
        return org.tollguard.policy.PolicyReport.lines(config, policy);
    }

    @Override
    public Integer call() {
        Path target = file != null ? file : config.file;
        try {
            TollguardConfig effective = ConfigLoader.load(target);
            System.out.print(ConfigLoader.render(effective));
            if (effective.ids().enabled() && effective.ids().rateDeck() != null) {
                try {
                    RateDeck deck = RateDeck.load(effective.ids().rateDeck());
                    System.err.println("tollguard: rate deck " + deck.source() + ": " + deck.size() + " rates");
                } catch (RateDeckException e) {
                    System.err.println("tollguard: rate deck " + e.getMessage());
                    System.err.println("tollguard: configuration file " + target + " test failed");
                    return 1;
                }
            }
            if (effective.hub().configured()) {
                hubPolicy(effective).forEach(System.out::println);
            }
            System.err.println("tollguard: configuration file " + target + " is valid");
            return 0;
        } catch (ConfigException e) {
            System.err.println("tollguard: " + e.getMessage());
            System.err.println("tollguard: configuration file " + target + " test failed");
            return 1;
        }
    }
}
