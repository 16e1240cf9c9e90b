package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.tollguard.yamlconfig.Durations;
import picocli.CommandLine.Command;

@Command(name = "calls", description = "List live calls: account, destination, category, duration.")
final class CallsCommand extends AdminCommand {
    @Override
    int run(AdminClient client) throws CliException {
        JsonNode calls = client.get("/v1/calls");
        if (calls.isEmpty()) {
            System.out.println("no live calls");
            return 0;
        }
        System.out.printf("%-16s %-20s %-22s %-9s %s%n", "ACCOUNT", "DESTINATION", "CATEGORY", "DURATION", "CALL");
        for (JsonNode c : calls) {
            String category = c.path("category").asText() + (c.path("highRisk").asBoolean() ? ",high-risk" : "");
            String duration = c.path("answered").isNull() ? "ringing"
                    : Durations.format(Duration.ofSeconds(c.path("durationSeconds").asLong()));
            System.out.printf("%-16s %-20s %-22s %-9s %s%n", c.path("account").asText(), c.path("destination").asText(),
                    category, duration, c.path("callId").asText());
        }
        return 0;
    }
}
