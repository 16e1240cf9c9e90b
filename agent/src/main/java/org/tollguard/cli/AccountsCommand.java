package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "accounts", description = {
        "Show each account's limits, current calls, today's spend and status.",
        "TODAY is what the account spent today on the monitored destinations: finished calls plus the cost so far of"
                + " answered calls in progress (LIVE). The spend IDS blocks the account when TODAY passes THRESHOLD ="
                + " BASELINE (average daily spend, or the floor for accounts with little history) + DELTA."})
final class AccountsCommand extends AdminCommand {
    @Override
    int run(AdminClient client) throws CliException {
        JsonNode accounts = client.get("/v1/accounts");
        if (accounts.isEmpty()) {
            System.out.println("no accounts configured or seen yet");
            return 0;
        }
        render(accounts).forEach(System.out::println);
        return 0;
    }

    /** The table, one line per account, columns aligned. */
    static List<String> render(JsonNode accounts) {
        String currency = "";
        for (JsonNode a : accounts) {
            if (a.path("spend").has("currency")) {
                currency = "(" + a.path("spend").path("currency").asText() + ")";
                break;
            }
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ACCOUNT", "GROUP", "STATUS", "CALLS/MAX", "MAX-DUR", "TODAY" + currency, "LIVE",
                "BASELINE", "DELTA", "THRESHOLD", "BLOCKED CATEGORIES"});
        for (JsonNode a : accounts) {
            JsonNode limits = a.path("limits");
            JsonNode spend = a.path("spend");
            int max = limits.path("maxConcurrent").asInt();
            String maxDuration = limits.path("maxDuration").asText();
            boolean ids = spend.isObject();
            String status = a.path("blocked").asBoolean() ? "BLOCKED" : ids ? spend.path("status").asText() : "ok";
            rows.add(new String[] {
                    a.path("account").asText(),
                    a.path("group").isNull() || a.path("group").isMissingNode() ? "-" : a.path("group").asText(),
                    status,
                    a.path("liveOutgoing").asLong() + "/" + (max == 0 ? "-" : max),
                    maxDuration.equals("0s") || maxDuration.isEmpty() ? "-" : maxDuration,
                    ids ? money(spend.path("today")) : "-",
                    ids ? money(spend.path("live")) : "-",
                    ids ? money(spend.path("baseline")) + (spend.path("fromHistory").asBoolean() ? "" : " (floor)") : "-",
                    ids ? money(spend.path("delta")) : "-",
                    ids ? money(spend.path("threshold")) : "-",
                    limits.path("blockedCategories").toString()});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private static String money(JsonNode amount) {
        return new BigDecimal(amount.asText("0")).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
