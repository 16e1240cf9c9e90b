package org.tollguard.hub.cli;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.tollguard.hub.Hub;
import org.tollguard.hub.config.HubConfig;
import picocli.CommandLine.Command;

@Command(name = "serve", description = "Run the hub: the HTTP API for agents, publication and retention.")
final class ServeCommand extends HubCommand {
    @Override
    int run(HubConfig config) throws Exception {
        Hub hub;
        try {
            hub = Hub.start(config, Clock.systemUTC());
        } catch (org.tollguard.protocol.minisign.MinisignException e) {
            throw new CommandFailed("signing key: " + e.getMessage() + " (create one with tollguard-hub keygen)");
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new CommandFailed("TLS: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            hub.close();
            stopped.countDown();
        }, "hub-shutdown"));
        System.err.println("tollguard-hub: serving on port " + hub.port());
        stopped.await();
        return 0;
    }
}
