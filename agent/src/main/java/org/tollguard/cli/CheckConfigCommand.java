package org.tollguard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.tollguard.Agent;
import org.tollguard.blacklist.Enrollment;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.policy.PolicyFile;
import org.tollguard.policy.PolicyReport;
import org.tollguard.protocol.ListVerifier;
import org.tollguard.protocol.PolicyVerifier;
import org.tollguard.protocol.SitePolicy;
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
    private static List<String> hubPolicy(TollguardConfig config) {
        PolicyFile file = new PolicyFile(config.store().path().resolveSibling(Agent.HUB_POLICY_FILE));
        SitePolicy policy = null;
        try {
            if (Files.exists(file.path())) {
                Enrollment enrollment = Enrollment.load(config.hub());
                policy = file.readVerified(new PolicyVerifier(new ListVerifier(enrollment.trustedKeys(config.hub()),
                        Clock.systemUTC())), enrollment.requireSiteId()).orElse(null);
            }
        } catch (Exception e) {
            System.err.println("tollguard: hub policy kept in " + file.path() + " is not used: " + e.getMessage());
        }
        return PolicyReport.lines(config, policy);
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
