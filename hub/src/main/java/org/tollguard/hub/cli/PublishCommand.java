package org.tollguard.hub.cli;

import java.time.Clock;
import java.util.Optional;
import org.tollguard.hub.HubKeys;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.publish.Publisher;
import org.tollguard.protocol.ListSigner;
import picocli.CommandLine.Command;

@Command(name = "publish", description = "Publish the next generation now if anything is due (a running hub does this every publication interval).")
final class PublishCommand extends HubCommand {
    @Override
    int run(HubConfig config) throws Exception {
        HubKeys keys = HubKeys.load(config.signing());
        try (Database db = open(config)) {
            Optional<Long> generation = new Publisher(config.publication(), db, new ListSigner(keys.secretKey()),
                    Clock.systemUTC()).publishIfDue();
            System.out.println(generation.map(g -> "published generation " + g).orElse("nothing to publish"));
            return 0;
        }
    }
}
