package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.tollguard.yamlconfig.Durations;
import picocli.CommandLine.Command;

@Command(name = "status", description = "One screen: PBX connections, bans, community lists, live calls,"
        + " blocked accounts, alerts and the last decisions.")
final class StatusCommand extends AdminCommand {
    static final String NOT_CONFIGURED = "not configured";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @Override
    int run(AdminClient client) throws CliException {
        JsonNode status = client.get("/v1/status");
        print(status, System.out);
        return status.path("notEnforced").isEmpty() ? 0 : 3;
    }

    static void print(JsonNode s, PrintStream out) {
        Instant now = instant(s.path("now"));
        out.printf("tollguard %s, running for %s (since %s)%n", s.path("version").asText(),
                ago(instant(s.path("started")), now), time(s.path("started")));

        section(out, "PBX connections");
        if (s.path("pbx").isNull() || s.path("pbx").isMissingNode()) {
            out.println("  " + NOT_CONFIGURED);
        } else {
            for (JsonNode p : s.path("pbx")) {
                String state = p.path("up").asBoolean() ? "up" : "DOWN";
                String since = p.path("since").isNull() ? "(connecting, no answer yet)"
                        : "since " + time(p.path("since")) + " (" + ago(instant(p.path("since")), now) + ")";
                out.printf("  %-32s %-5s %s%n", p.path("name").asText(), state, since);
            }
        }

        JsonNode bans = s.path("bans");
        section(out, "Bans");
        List<String> origins = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = bans.path("active").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            origins.add(e.getKey() + " " + e.getValue().asInt());
        }
        if (bans.path("failed").asInt() > 0) {
            out.printf("  %d NOT ENFORCED (the firewall refused them; retrying, see below)%n", bans.path("failed").asInt());
        }
        out.printf("  %d active (%s)%s%n", bans.path("total").asInt(), String.join(", ", origins),
                bans.path("processedEvents").isNull() ? "" : "; ban engine: " + bans.path("processedEvents").asLong()
                        + " events, " + bans.path("droppedEvents").asLong() + " dropped");
        for (JsonNode b : bans.path("newest")) {
            String left = b.path("expires").isNull() ? "permanent"
                    : Durations.format(Duration.ofSeconds(Math.max(0, Duration.between(now, instant(b.path("expires"))).toSeconds()))) + " left";
            out.printf("  %-40s %-9s %-14s %s%n", b.path("target").asText(), b.path("origin").asText(), left,
                    cut(b.path("reason").asText(), 60));
        }

        if (!s.path("notEnforced").isEmpty()) {
            section(out, "NOT ENFORCED (retrying)");
            for (JsonNode f : s.path("notEnforced")) {
                out.printf("  %-14s %-40s since %s, %d attempts: %s%n", f.path("kind").asText(), f.path("target").asText(),
                        time(f.path("since")), f.path("attempts").asInt(), cut(f.path("error").asText(), 80));
            }
        }

        section(out, "Community lists");
        if (s.path("communityLists").isNull() || s.path("communityLists").isMissingNode()) {
            out.println("  " + NOT_CONFIGURED);
        } else {
            for (JsonNode c : s.path("communityLists")) {
                String size = c.path("size").asLong() < 0 ? "-" : c.path("size").asLong() + " entries";
                String last = c.path("lastSuccess").isNull() ? "never synced"
                        : "synced " + time(c.path("lastSuccess")) + " (" + ago(instant(c.path("lastSuccess")), now) + " ago)";
                String error = c.path("lastError").isNull() ? "" : "; last attempt FAILED: " + cut(c.path("lastError").asText(), 60);
                out.printf("  %-20s %-16s %s%s%n", c.path("source").asText(), size, last, error);
            }
        }
        if (!s.path("outboxDepth").isNull() && !s.path("outboxDepth").isMissingNode()) {
            out.printf("  report outbox: %d waiting%n", s.path("outboxDepth").asLong());
        }

        section(out, "Live calls");
        JsonNode calls = s.path("calls");
        if (calls.isNull() || calls.isMissingNode()) {
            out.println("  " + NOT_CONFIGURED);
        } else {
            out.printf("  %d live, %d outgoing%n", calls.path("live").asInt(), calls.path("outgoing").asLong());
            for (JsonNode c : calls.path("longest")) {
                String duration = c.path("answered").isNull() ? "ringing"
                        : Durations.format(Duration.ofSeconds(c.path("durationSeconds").asLong()));
                out.printf("  %-16s %-20s %-22s %s%n", c.path("account").asText(), c.path("destination").asText(),
                        c.path("category").asText(), duration);
            }
        }

        section(out, "Blocked accounts");
        if (s.path("blockedAccounts").isEmpty()) {
            out.println("  none");
        }
        for (JsonNode b : s.path("blockedAccounts")) {
            String failed = b.path("enforcement").asText().equals("failed") ? "NOT ENFORCED " : "";
            out.printf("  %-16s %ssince %s by %-9s %s%n", b.path("account").asText(), failed, time(b.path("since")),
                    b.path("origin").asText(), cut(b.path("reason").asText(), 60));
        }

        section(out, "Alerts");
        JsonNode alerts = s.path("alerts");
        if (alerts.isNull() || alerts.isMissingNode()) {
            out.println("  " + NOT_CONFIGURED);
        } else {
            for (JsonNode c : alerts.path("channels")) {
                String last = c.path("lastSent").isNull() ? "nothing sent yet" : "last sent " + time(c.path("lastSent"));
                String failed = c.path("failedAttempts").asLong() == 0 ? "" : "; " + c.path("failedAttempts").asLong()
                        + " failed attempts, last: " + cut(c.path("lastError").asText(), 50);
                out.printf("  %-7s %-16s >= %-8s %d messages (%d alerts), %s; %d pending%s%n", c.path("type").asText(),
                        c.path("name").asText(), c.path("minSeverity").asText(), c.path("messagesSent").asLong(),
                        c.path("alertsSent").asLong(), last, c.path("pending").asLong(), failed);
            }
            if (alerts.path("dropped").asLong() > 0) {
                out.printf("  %d alerts lost (queue full)%n", alerts.path("dropped").asLong());
            }
        }
        out.println("  metrics: " + (s.path("metricsPort").isNull() || s.path("metricsPort").isMissingNode()
                ? "off" : "http://127.0.0.1:" + s.path("metricsPort").asInt() + "/metrics"));

        section(out, "Last decisions");
        if (s.path("lastDecisions").isEmpty()) {
            out.println("  none yet");
        }
        for (JsonNode d : s.path("lastDecisions")) {
            out.printf("  %s %-13s %-28s %-9s %s%s%n", time(d.path("created")), d.path("kind").asText(),
                    cut(d.path("target").asText(), 28), d.path("origin").asText(), cut(d.path("reason").asText(), 50),
                    d.path("lifted").isNull() ? "" : " (lifted)");
        }
    }

    private static void section(PrintStream out, String title) {
        out.println();
        out.println(title);
    }

    private static Instant instant(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? null : Instant.parse(n.asText());
    }

    private static String time(JsonNode n) {
        Instant i = instant(n);
        return i == null ? "-" : TIME.format(i);
    }

    private static String ago(Instant then, Instant now) {
        if (then == null || now == null) {
            return "-";
        }
        long seconds = Math.max(0, Duration.between(then, now).toSeconds());
        return Durations.format(Duration.ofSeconds(seconds));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
