package org.tollguard.cli;

import java.util.concurrent.Callable;
import org.tollguard.yamlconfig.ConfigException;
import picocli.CommandLine.Mixin;

/** A command that talks to the running agent: loads the config for the API address and token, reports errors. */
abstract class AdminCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public final Integer call() {
        try {
            return run(new AdminClient(config.loadOrDefaults().api()));
        } catch (CliException | ConfigException e) {
            System.err.println("tollguard: " + e.getMessage());
            return 1;
        }
    }

    abstract int run(AdminClient client) throws CliException;
}
