package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

@Command(name = "accounts", description = "Show each account's limits, current usage and status.")
final class AccountsCommand extends AdminCommand {
    @Override
    int run(AdminClient client) throws CliException {
        JsonNode accounts = client.get("/v1/accounts");
        if (accounts.isEmpty()) {
            System.out.println("no accounts configured or seen yet");
            return 0;
        }
        System.out.printf("%-16s %-12s %-8s %-10s %-10s %s%n", "ACCOUNT", "GROUP", "STATUS", "CALLS/MAX", "MAX-DUR",
                "BLOCKED CATEGORIES");
        for (JsonNode a : accounts) {
            JsonNode limits = a.path("limits");
            int max = limits.path("maxConcurrent").asInt();
            String maxDuration = limits.path("maxDuration").asText();
            System.out.printf("%-16s %-12s %-8s %-10s %-10s %s%n", a.path("account").asText(),
                    a.path("group").isNull() ? "-" : a.path("group").asText(),
                    a.path("blocked").asBoolean() ? "BLOCKED" : "ok",
                    a.path("liveOutgoing").asLong() + "/" + (max == 0 ? "-" : max),
                    maxDuration.equals("0s") ? "-" : maxDuration,
                    limits.path("blockedCategories"));
        }
        return 0;
    }
}
