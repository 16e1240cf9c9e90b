package org.tollguard.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.tollguard.Agent;
import org.tollguard.yamlconfig.ConfigException;
import org.tollguard.config.TollguardConfig;
import org.tollguard.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", description = "Run the agent in the foreground (what the service runs).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws InterruptedException {
        TollguardConfig effective;
        try {
            effective = config.load();
        } catch (ConfigException e) {
            System.err.println("tollguard: " + e.getMessage());
            return 78; // EX_CONFIG: systemd will not help by restarting
        }
        Logging.setLevel(effective.log().level());
        Agent agent;
        try {
            agent = Agent.start(effective, Clock.systemUTC());
        } catch (StoreException e) {
            System.err.println("tollguard: " + e.getMessage());
            return 73; // EX_CANTCREAT
        } catch (Agent.StartupException e) {
            System.err.println("tollguard: cannot start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "shutdown"));
        agent.awaitTermination();
        return 0;
    }
}
