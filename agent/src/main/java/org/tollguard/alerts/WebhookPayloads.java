package org.tollguard.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The bodies a webhook POSTs.
 *
 * <p>{@code json}: {@code {"agent", "from", "to", "total", "lost", "highest-severity", "counts": {kind: n},
 * "severities": {severity: n}, "top-targets": [{"target", "count"}], "alerts": [{"at", "severity", "kind",
 * "target", "summary", "details"}], "omitted"}}.
 *
 * <p>{@code slack}: an incoming-webhook message, {@code {"text": fallback, "blocks": [header, section with the
 * counts as fields, section of top targets, section of the first alerts, context]}}, kept within Slack's limits
 * (header 150 characters, section text 3000, at most 10 fields).
 */
final class WebhookPayloads {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SLACK_HEADER = 150;
    private static final int SLACK_TEXT = 3000;
    private static final int SLACK_FIELDS = 10;

    private WebhookPayloads() {}

    static byte[] json(DigestMessage m) {
        ObjectNode root = JSON.createObjectNode();
        root.put("agent", m.agent());
        root.put("from", m.from().toString());
        root.put("to", m.to().toString());
        root.put("total", m.total());
        root.put("lost", m.dropped());
        root.put("highest-severity", m.highest().id());
        ObjectNode counts = root.putObject("counts");
        m.counts().forEach(counts::put);
        ObjectNode severities = root.putObject("severities");
        m.severities().forEach((k, v) -> severities.put(k.id(), v));
        ArrayNode targets = root.putArray("top-targets");
        m.topTargets().forEach(t -> targets.addObject().put("target", t.target()).put("count", t.count()));
        ArrayNode alerts = root.putArray("alerts");
        for (Alert a : m.details()) {
            ObjectNode o = alerts.addObject();
            o.put("at", a.at().toString());
            o.put("severity", a.severity().id());
            o.put("kind", a.kind());
            o.put("target", a.target());
            o.put("summary", a.summary());
            o.set("details", JSON.valueToTree(a.details()));
        }
        root.put("omitted", m.omitted());
        return bytes(root);
    }

    static byte[] slack(DigestMessage m) {
        ObjectNode root = JSON.createObjectNode();
        String headline = m.total() + (m.total() == 1 ? " alert" : " alerts") + " on " + m.agent() + " ("
                + m.highest().id() + "): " + m.headline();
        root.put("text", cut(headline, SLACK_TEXT));
        ArrayNode blocks = root.putArray("blocks");

        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text")
                .put("text", cut(emoji(m.highest()) + " tollguard " + m.agent() + ": " + m.total()
                        + (m.total() == 1 ? " alert" : " alerts"), SLACK_HEADER));

        ObjectNode counts = blocks.addObject().put("type", "section");
        ArrayNode fields = counts.putArray("fields");
        int n = 0;
        for (Map.Entry<String, Long> e : m.counts().entrySet()) {
            if (n++ == SLACK_FIELDS - (m.dropped() > 0 ? 1 : 0)) {
                break;
            }
            fields.addObject().put("type", "mrkdwn").put("text", "*" + e.getKey() + "*\n" + e.getValue());
        }
        if (m.dropped() > 0) {
            fields.addObject().put("type", "mrkdwn").put("text", "*lost (queue full)*\n" + m.dropped());
        }
        if (fields.isEmpty()) {
            blocks.remove(blocks.size() - 1);
        }

        if (!m.topTargets().isEmpty()) {
            StringBuilder t = new StringBuilder("*Top targets*");
            m.topTargets().forEach(tc -> t.append("\n`").append(escape(tc.target())).append("` ").append(tc.count()));
            section(blocks, t.toString());
        }
        if (!m.details().isEmpty()) {
            StringBuilder d = new StringBuilder(m.details().size() == m.total() ? "*Alerts*"
                    : "*First " + m.details().size() + " of " + m.total() + "*");
            for (Alert a : m.details()) {
                String line = "\n• " + a.severity().id() + " " + escape(a.summary());
                if (d.length() + line.length() > SLACK_TEXT - 40) {
                    d.append("\n…");
                    break;
                }
                d.append(line);
            }
            section(blocks, d.toString());
        }
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", cut(DigestMessage.seconds(m.from()) + " – " + DigestMessage.seconds(m.to()) + " · highest severity " + m.highest().id()
                        + (m.omitted() > 0 ? " · " + m.omitted() + " not listed: `tollguard status` on the host" : ""),
                        SLACK_TEXT));
        return bytes(root);
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", cut(mrkdwn, SLACK_TEXT));
    }

    private static String emoji(Severity s) {
        return switch (s) {
            case CRITICAL -> "🚨";
            case WARNING -> "⚠️";
            case NOTICE -> "🔔";
            case INFO -> "ℹ️";
        };
    }

    /** Slack's mrkdwn needs only these three escaped. */
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static byte[] bytes(ObjectNode root) {
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
