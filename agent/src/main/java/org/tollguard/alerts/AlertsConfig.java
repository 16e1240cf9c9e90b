package org.tollguard.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tollguard.yamlconfig.Checks;
import org.tollguard.yamlconfig.Durations;
import org.tollguard.yamlconfig.Secret;

/**
 * {@code alerts:} who is told what, and how often. Alerts are collected into one digest per channel per
 * {@code digest-interval} (counts by kind, top targets, the first {@code details} alerts), so that a scan wave
 * of thousands of bans is one message; no channel sends more than {@code max-per-hour} messages (the rest wait
 * in the digest, still counted). A channel that fails is retried with back-off; alerts never slow the engines.
 * Without a channel nothing is sent.
 *
 * @param name           how the agent names itself in messages; default the host name
 * @param minSeverity    default threshold of every channel: info, notice, warning or critical
 * @param digestInterval default collection time of every channel, counted from the first alert of a digest
 * @param maxPerHour     default cap on messages per hour of every channel
 * @param details        how many alerts a digest lists one by one (the rest are counted)
 * @param topTargets     how many of the most frequent targets (addresses, accounts) a digest names
 * @param pbxDownAfter   a PBX connection down for this long raises a critical alert (short blips do not)
 * @param retry          how a failed message is retried
 * @param email          the e-mail channel (none if absent)
 * @param webhooks       webhook channels (JSON POST)
 */
public record AlertsConfig(
        @JsonInclude(JsonInclude.Include.NON_NULL) String name,
        Severity minSeverity,
        Duration digestInterval,
        Integer maxPerHour,
        Integer details,
        Integer topTargets,
        Duration pbxDownAfter,
        Retry retry,
        @JsonInclude(JsonInclude.Include.NON_NULL) Email email,
        List<Webhook> webhooks) {

    public AlertsConfig {
        name = name == null || name.isBlank() ? null : name.strip();
        minSeverity = minSeverity == null ? Severity.WARNING : minSeverity;
        digestInterval = digestInterval == null ? Duration.ofMinutes(1) : digestInterval;
        maxPerHour = maxPerHour == null ? 12 : maxPerHour;
        details = details == null ? 20 : details;
        topTargets = topTargets == null ? 10 : topTargets;
        pbxDownAfter = pbxDownAfter == null ? Duration.ofSeconds(30) : pbxDownAfter;
        retry = retry == null ? new Retry(null, null, null) : retry;
        if (webhooks != null) {
            Checks.noEmptyEntries("webhooks", webhooks);
        }
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
        Checks.positive("digest-interval", digestInterval);
        Checks.atLeast("max-per-hour", maxPerHour, 1);
        Checks.atLeast("details", details, 0);
        Checks.atLeast("top-targets", topTargets, 0);
        Checks.positive("pbx-down-after", pbxDownAfter);
        Set<String> names = new HashSet<>();
        for (Webhook w : webhooks) {
            if (!names.add(w.name())) {
                throw new IllegalArgumentException("webhooks: two webhooks are named '" + w.name()
                        + "' (give each a different name:)");
            }
        }
    }

    /** A channel's own overrides, checked like the defaults. */
    private static void checkChannel(Duration interval, Integer maxPerHour) {
        if (interval != null) {
            Checks.positive("digest-interval", interval);
        }
        if (maxPerHour != null) {
            Checks.atLeast("max-per-hour", maxPerHour, 1);
        }
    }

    public static AlertsConfig defaults() {
        return new AlertsConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** True if at least one channel is configured. */
    public boolean anyChannel() {
        return email != null || !webhooks.isEmpty();
    }

    /**
     * A failed message is tried again after {@code backoff}, then twice as long each time up to
     * {@code backoff-max}, at most {@code attempts} times in all; then it is logged as lost.
     */
    public record Retry(Integer attempts, Duration backoff, Duration backoffMax) {
        public Retry {
            attempts = attempts == null ? 6 : attempts;
            backoff = backoff == null ? Duration.ofSeconds(10) : backoff;
            backoffMax = backoffMax == null ? Duration.ofMinutes(5) : backoffMax;
            Checks.atLeast("attempts", attempts, 1);
            Checks.positive("backoff", backoff);
            if (backoffMax.compareTo(backoff) < 0) {
                throw new IllegalArgumentException("backoff-max: " + Durations.format(backoffMax)
                        + " is shorter than backoff (" + Durations.format(backoff) + ")");
            }
        }
    }

    /**
     * E-mail through an SMTP server (a submission port with STARTTLS by default).
     *
     * @param security   {@code starttls} (plain connection upgraded to TLS; refused if the server does not offer
     *                   it), {@code tls} (TLS from the first byte, port 465) or {@code none} (only to a relay on
     *                   this host)
     * @param port       default 587 for starttls, 465 for tls, 25 for none
     * @param username   SMTP login; none if absent
     * @param password   SMTP password (never printed)
     * @param from       sender address
     * @param to         recipients
     * @param subjectPrefix put in front of every subject
     * @param timeout    connect, read and write timeout
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Email(
            String host,
            Integer port,
            Security security,
            String username,
            Secret password,
            String from,
            List<String> to,
            String subjectPrefix,
            Duration timeout,
            Severity minSeverity,
            Duration digestInterval,
            Integer maxPerHour) {

        public enum Security {
            @JsonProperty("starttls") STARTTLS,
            @JsonProperty("tls") TLS,
            @JsonProperty("none") NONE
        }

        public Email {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host: is required (the SMTP server, e.g. smtp.example.com)");
            }
            host = host.strip();
            security = security == null ? Security.STARTTLS : security;
            port = port == null ? switch (security) {
                case STARTTLS -> 587;
                case TLS -> 465;
                case NONE -> 25;
            } : port;
            Checks.port("port", port);
            username = username == null || username.isBlank() ? null : username.strip();
            password = password == null ? new Secret("") : password;
            if (username != null && password.isEmpty()) {
                throw new IllegalArgumentException("password: is required when username is set");
            }
            if (security == Security.NONE && username != null && !isLoopback(host)) {
                throw new IllegalArgumentException("security: 'none' would send the password to " + host
                        + " unencrypted; use starttls or tls (none is only for a relay on this host)");
            }
            if (from == null || !isAddress(from)) {
                throw new IllegalArgumentException("from: " + (from == null ? "is required" : "'" + from
                        + "' is not an e-mail address") + " (write e.g. tollguard@example.com)");
            }
            from = from.strip();
            if (to == null || to.isEmpty()) {
                throw new IllegalArgumentException("to: at least one recipient is required");
            }
            List<String> recipients = new ArrayList<>();
            for (String r : to) {
                if (r == null || !isAddress(r)) {
                    throw new IllegalArgumentException("to: '" + r + "' is not an e-mail address");
                }
                recipients.add(r.strip());
            }
            to = List.copyOf(recipients);
            subjectPrefix = subjectPrefix == null ? "[tollguard]" : subjectPrefix;
            timeout = timeout == null ? Duration.ofSeconds(20) : timeout;
            Checks.positive("timeout", timeout);
            checkChannel(digestInterval, maxPerHour);
        }

        private static boolean isLoopback(String host) {
            return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
        }

        private static boolean isAddress(String s) {
            return s.strip().matches("[^@\\s<>,;]+@[^@\\s<>,;]+");
        }
    }

    /**
     * A JSON POST to an HTTP(S) endpoint.
     *
     * @param name   how logs, metrics and the status screen call it; default the URL's host
     * @param url    where to POST (a Slack incoming-webhook URL with {@code format: slack}); printed with its path
     *               masked, since such URLs carry their secret in the path
     * @param format {@code json} (tollguard's own digest document) or {@code slack} (Slack's text and blocks)
     * @param token  sent as {@code Authorization: Bearer TOKEN} if set (never printed)
     * @param timeout connect and response timeout
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Webhook(
            String name,
            @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = MaskedUrl.class) String url,
            Format format,
            Secret token,
            Duration timeout,
            Severity minSeverity,
            Duration digestInterval,
            Integer maxPerHour) {

        public enum Format {
            @JsonProperty("json") JSON,
            @JsonProperty("slack") SLACK
        }

        public Webhook {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("url: is required (where to POST the alerts)");
            }
            URI uri;
            try {
                uri = new URI(url.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("url: '" + url + "' is not a URL: " + e.getReason());
            }
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("url: '" + url + "' is not an http:// or https:// URL");
            }
            url = uri.toString();
            name = name == null || name.isBlank() ? uri.getHost() : name.strip();
            format = format == null ? Format.JSON : format;
            timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
            Checks.positive("timeout", timeout);
            checkChannel(digestInterval, maxPerHour);
        }
    }
}
