package org.tollguard.hub.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.abuse.AbuseOutbox;
import org.tollguard.hub.listing.Approvals;
import org.tollguard.hub.listing.NewListings;
import org.tollguard.hub.listing.Networks;
import org.tollguard.yamlconfig.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "approve", description = "Put an address or network on the list, recorded as approved by you; "
        + "the running hub publishes it within its publication interval.")
final class ApproveCommand extends HubCommand {
    @Parameters(paramLabel = "ADDR", description = "An address or CIDR network.")
    String network;

    @Option(names = "--reason", description = "Short reason code (default: ${DEFAULT-VALUE}).")
    String reason = "sip-bruteforce";

    @Option(names = "--for", paramLabel = "DURATION", description = "Listed for this long (e.g. 30d); default: until removed.")
    String listedFor;

    @Override
    int run(HubConfig config) throws Exception {
        String problem = Networks.problem(network);
        if (problem != null) {
            throw new CommandFailed(problem);
        }
        Instant expires = null;
        if (listedFor != null) {
            try {
                Duration d = Durations.parse(listedFor);
                expires = Clock.systemUTC().instant().plus(d);
            } catch (IllegalArgumentException e) {
                throw new CommandFailed("--for: " + e.getMessage());
            }
        }
        try (Database db = open(config)) {
            String by = "operator:" + whoAmI();
            NewListings newListings = config.abuseReports().enabled() ? new AbuseOutbox(Clock.systemUTC())
                    : NewListings.NONE; // the running hub reports it
            new Approvals(db, config.publication().list(), newListings).approve(network, by, reason, expires);
            System.out.println(network + " approved by " + by + (expires == null ? "" : " until " + expires));
            return 0;
        }
    }
}
