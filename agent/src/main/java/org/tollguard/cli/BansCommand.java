package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.tollguard.yamlconfig.Durations;
import picocli.CommandLine.Command;

@Command(name = "bans", description = "List active bans with reason, origin, time left and whether the firewall holds"
        + " them (FAILED: not in the firewall, being retried).")
final class BansCommand extends AdminCommand {
    @Override
    int run(AdminClient client) throws CliException {
        JsonNode bans = client.get("/v1/bans");
        if (bans.isEmpty()) {
            System.out.println("no active bans");
            return 0;
        }
        System.out.printf("%-40s %-9s %-10s %-10s %s%n", "ADDRESS", "ORIGIN", "LEFT", "STATE", "REASON");
        int failed = 0;
        for (JsonNode b : bans) {
            String left = b.path("remainingSeconds").isNull() ? "permanent"
                    : Durations.format(java.time.Duration.ofSeconds(b.path("remainingSeconds").asLong()));
            String state = b.path("enforcement").asText();
            String reason = b.path("reason").asText();
            if (state.equals("failed")) {
                failed++;
                state = "FAILED";
                reason = "not in the firewall: " + b.path("error").asText() + " (retrying) | " + reason;
            }
            System.out.printf("%-40s %-9s %-10s %-10s %s%n", b.path("address").asText(), b.path("origin").asText(), left,
                    state, reason);
        }
        if (failed > 0) {
            System.err.println("tollguard: " + failed + " ban" + (failed == 1 ? " is" : "s are") + " NOT enforced");
            return 3;
        }
        return 0;
    }
}
