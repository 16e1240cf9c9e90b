package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import org.tollguard.yamlconfig.Durations;
import picocli.CommandLine.Command;

@Command(name = "lists", description = "Community list sources: size, last success, last error and next run.")
final class ListsCommand extends AdminCommand {
    @Override
    int run(AdminClient client) throws CliException {
        JsonNode answer = client.get("/v1/lists");
        JsonNode sources = answer.path("sources");
        if (sources.isEmpty()) {
            System.out.println("no community list sources configured (blacklist.sources in the config file)");
        } else {
            Instant now = Instant.now();
            System.out.printf("%-15s %-7s %9s  %-22s %-22s %s%n", "SOURCE", "TYPE", "SIZE", "LAST SUCCESS", "NEXT RUN",
                    "LAST ERROR");
            for (JsonNode s : sources) {
                String error = s.path("lastError").isNull() || s.path("lastError").isMissingNode() ? "-"
                        : s.path("lastError").asText() + " (" + ago(s.path("lastErrorAt"), now) + ")";
                if (!s.path("lastErrorAt").isNull() && !s.path("lastSuccess").isNull()
                        && instant(s.path("lastSuccess")).isAfter(instant(s.path("lastErrorAt")))) {
                    error = "- (last: " + error + ")";
                }
                System.out.printf("%-15s %-7s %9s  %-22s %-22s %s%n", s.path("name").asText(), s.path("type").asText(),
                        s.path("enabled").asBoolean() ? String.format("%,d", s.path("size").asInt()) : "disabled",
                        ago(s.path("lastSuccess"), now), until(s.path("nextRun"), now), error);
                JsonNode dropped = s.path("dropped");
                if (dropped.size() > 0) {
                    StringBuilder sb = new StringBuilder();
                    for (Iterator<Map.Entry<String, JsonNode>> it = dropped.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().asInt());
                    }
                    System.out.printf("%-15s dropped from the last list: %s%n", "", sb);
                }
                if (!s.path("running").isNull() && !s.path("running").isMissingNode()) {
                    System.out.printf("%-15s syncing now: %s%n", "", s.path("running").path("phase").asText());
                }
            }
        }
        JsonNode reports = answer.path("reports");
        System.out.printf("%nreports to the hub: %d pending, %d sent, %d dropped%n", reports.path("pending").asInt(),
                reports.path("sent").asInt(), reports.path("dropped").asInt());
        return 0;
    }

    static Instant instant(JsonNode n) {
        return Instant.parse(n.asText());
    }

    static String ago(JsonNode n, Instant now) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "never";
        }
        Instant at = instant(n);
        return Durations.format(Duration.ofSeconds(Math.max(0, Duration.between(at, now).toSeconds()))) + " ago";
    }

    static String until(JsonNode n, Instant now) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "-";
        }
        Instant at = instant(n);
        return "in " + Durations.format(Duration.ofSeconds(Math.max(0, Duration.between(now, at).toSeconds())));
    }
}
