package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.tollguard.yamlconfig.Durations;
import picocli.CommandLine.Command;

@Command(name = "bans", description = "List active bans with reason, origin and time left.")
final class BansCommand extends AdminCommand {
    @Override
    int run(AdminClient client) throws CliException {
        JsonNode bans = client.get("/v1/bans");
        if (bans.isEmpty()) {
            System.out.println("no active bans");
            return 0;
        }
        System.out.printf("%-40s %-9s %-10s %s%n", "ADDRESS", "ORIGIN", "LEFT", "REASON");
        for (JsonNode b : bans) {
            String left = b.path("remainingSeconds").isNull() ? "permanent"
                    : Durations.format(java.time.Duration.ofSeconds(b.path("remainingSeconds").asLong()));
            System.out.printf("%-40s %-9s %-10s %s%n", b.path("address").asText(), b.path("origin").asText(), left,
                    b.path("reason").asText());
        }
        return 0;
    }
}
