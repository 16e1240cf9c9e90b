package org.tollguard.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tollguard.yamlconfig.ConfigException;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.ids.RateDeck;
import org.tollguard.ids.RateDeckException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "check-config", description = "Validate a configuration file and print the effective configuration.")
final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "File to check (default: the --config file).")
    Path file;

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
            System.err.println("tollguard: configuration file " + target + " is valid");
            return 0;
        } catch (ConfigException e) {
            System.err.println("tollguard: " + e.getMessage());
            System.err.println("tollguard: configuration file " + target + " test failed");
            return 1;
        }
    }
}
