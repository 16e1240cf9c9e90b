package org.tollguard.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.quartz.CronExpression;
import org.tollguard.yamlconfig.Durations;
import org.tollguard.yamlconfig.Secret;

/**
 * {@code blacklist:} the community blacklist: which lists are imported into the firewall, how much of a list is
 * trusted, and whether local bans are reported upstream.
 *
 * @param sources   the lists to import, each with its own schedule; none by default
 * @param sanity    what is never taken from a list, and when a whole list is refused
 * @param reporting reporting every local ban to the hub
 */
public record BlacklistConfig(List<Source> sources, Sanity sanity, Reporting reporting) {

    /** Every 6 hours, on the hour (00:00, 06:00, 12:00, 18:00). */
    public static final String DEFAULT_SCHEDULE = "0 0 0/6 * * ?";

    public BlacklistConfig {
        if (sources != null) {
            for (int i = 0; i < sources.size(); i++) {
                if (sources.get(i) == null) {
                    throw new IllegalArgumentException("sources[" + i + "]: is empty");
                }
            }
        }
        sources = sources == null ? List.of() : List.copyOf(sources);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < sources.size(); i++) {
            if (!names.add(sources.get(i).name())) {
                throw new IllegalArgumentException("sources[" + i + "]: name '" + sources.get(i).name()
                        + "' is used by another source");
            }
        }
        sanity = sanity == null ? Sanity.defaults() : sanity;
        reporting = reporting == null ? Reporting.defaults() : reporting;
    }

    public static BlacklistConfig defaults() {
        return new BlacklistConfig(null, null, null);
    }

    /** What a source speaks. */
    public enum SourceType {
        /** The tollguard hub protocol (docs/hub-protocol.md): snapshot, incremental changes, ETag. */
        @JsonProperty("hub") HUB,
        /** APIBAN's {@code banned} list, paged by ID. */
        @JsonProperty("apiban") APIBAN,
        /** One address or CIDR a line, {@code #} comments (VoIPBL and firewall blocklists). */
        @JsonProperty("plain") PLAIN
    }

    /**
     * One list.
     *
     * @param name     short name: the firewall sets are named after it ({@code tollguard-list4-NAME}); lower-case
     *                 letters, digits and '-', at most 15 characters
     * @param type     hub, apiban or plain
     * @param url      where to get it; for apiban the API's base ({@code https://apiban.org/api})
     * @param token    bearer token (hub) or API key (apiban); none for plain lists
     * @param schedule Quartz cron expression (seconds minutes hours day-of-month month day-of-week); default every
     *                 6 hours; every source also syncs once at start-up
     * @param jitter   a scheduled sync waits a random time up to this first, so that thousands of agents do not
     *                 ask the server in the same second; default 10m
     * @param timeout  a sync that takes longer is abandoned; default 2m
     * @param enabled  false keeps the source configured but neither synced nor applied; default true
     */
    public record Source(
            String name,
            SourceType type,
            String url,
            @JsonInclude(JsonInclude.Include.NON_NULL) Secret token,
            String schedule,
            Duration jitter,
            Duration timeout,
            Boolean enabled) {

        private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,14}");

        public Source {
            if (name == null) {
                throw new IllegalArgumentException("name: is required (it names the firewall sets)");
            }
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name: '" + name + "' is not a list name (lower-case letters,"
                        + " digits and '-', at most 15 characters, e.g. hub or voipbl)");
            }
            if (type == null) {
                throw new IllegalArgumentException("type: is required (hub, apiban or plain)");
            }
            url = checkUrl("url", url, true);
            if (token != null && token.isEmpty()) {
                token = null;
            }
            if (type == SourceType.APIBAN && token == null) {
                throw new IllegalArgumentException("token: an apiban source needs its API key as token");
            }
            schedule = schedule == null ? DEFAULT_SCHEDULE : schedule.strip();
            checkCron("schedule", schedule);
            jitter = jitter == null ? Duration.ofMinutes(10) : jitter;
            if (jitter.isNegative()) {
                throw new IllegalArgumentException("jitter: must not be negative");
            }
            timeout = timeout == null ? Duration.ofMinutes(2) : timeout;
            positive("timeout", timeout);
            enabled = enabled == null ? Boolean.TRUE : enabled;
        }
    }

    /**
     * What is dropped from every list before anything is applied, and when a whole list is refused.
     *
     * @param widestIpv4   the widest IPv4 network taken from a list, as a prefix length; default 16 (a /8 is dropped)
     * @param widestIpv6   the widest IPv6 network taken, as a prefix length; default 32
     * @param allowPrivate take private (RFC 1918, fc00::/7) and link-local networks too; default false
     * @param maxShrink    a list that shrinks by more than this fraction against the last good one is refused
     *                     and the last good one kept; default 0.5
     */
    public record Sanity(Integer widestIpv4, Integer widestIpv6, Boolean allowPrivate, Double maxShrink) {
        public Sanity {
            widestIpv4 = widestIpv4 == null ? 16 : widestIpv4;
            widestIpv6 = widestIpv6 == null ? 32 : widestIpv6;
            allowPrivate = allowPrivate == null ? Boolean.FALSE : allowPrivate;
            maxShrink = maxShrink == null ? 0.5 : maxShrink;
            if (widestIpv4 < 1 || widestIpv4 > 32) {
                throw new IllegalArgumentException("widest-ipv4: must be a prefix length between 1 and 32, not " + widestIpv4);
            }
            if (widestIpv6 < 1 || widestIpv6 > 128) {
                throw new IllegalArgumentException("widest-ipv6: must be a prefix length between 1 and 128, not " + widestIpv6);
            }
            if (maxShrink.isNaN() || maxShrink <= 0 || maxShrink > 1) {
                throw new IllegalArgumentException("max-shrink: must be a fraction above 0 and at most 1 (1 turns the"
                        + " check off), not " + maxShrink);
            }
        }

        public static Sanity defaults() {
            return new Sanity(null, null, null, null);
        }
    }

    /**
     * Reporting local bans to the hub.
     *
     * @param enabled             default: on when {@code url} is set
     * @param url                 the hub (the same base URL as a hub source)
     * @param token               bearer token
     * @param includeAccountNames send the account names an address tried; default true
     * @param batchSize           reports per request; default 100
     * @param timeout             one request's time limit; default 30s
     * @param retryInitial        first wait after the hub failed; doubles with each failure; default 5s
     * @param retryMax            longest wait between tries; default 10m
     */
    public record Reporting(
            Boolean enabled,
            @JsonInclude(JsonInclude.Include.NON_NULL) String url,
            @JsonInclude(JsonInclude.Include.NON_NULL) Secret token,
            Boolean includeAccountNames,
            Integer batchSize,
            Duration timeout,
            Duration retryInitial,
            Duration retryMax) {

        public Reporting {
            url = checkUrl("url", url, false);
            if (Boolean.TRUE.equals(enabled) && url == null) {
                throw new IllegalArgumentException("url: reporting is enabled but has no hub url");
            }
            enabled = enabled == null ? url != null : enabled;
            if (token != null && token.isEmpty()) {
                token = null;
            }
            includeAccountNames = includeAccountNames == null ? Boolean.TRUE : includeAccountNames;
            batchSize = batchSize == null ? 100 : batchSize;
            if (batchSize < 1 || batchSize > 1000) {
                throw new IllegalArgumentException("batch-size: must be between 1 and 1000, not " + batchSize);
            }
            timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
            retryInitial = retryInitial == null ? Duration.ofSeconds(5) : retryInitial;
            retryMax = retryMax == null ? Duration.ofMinutes(10) : retryMax;
            positive("timeout", timeout);
            positive("retry-initial", retryInitial);
            positive("retry-max", retryMax);
            if (retryMax.compareTo(retryInitial) < 0) {
                throw new IllegalArgumentException("retry-max: " + Durations.format(retryMax)
                        + " is shorter than retry-initial (" + Durations.format(retryInitial) + ")");
            }
        }

        public static Reporting defaults() {
            return new Reporting(null, null, null, null, null, null, null, null);
        }
    }

    private static void positive(String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + ": must be longer than 0s");
        }
    }

    private static String checkUrl(String key, String url, boolean required) {
        if (url == null || url.isBlank()) {
            if (required) {
                throw new IllegalArgumentException(key + ": is required");
            }
            return null;
        }
        String s = url.strip();
        try {
            URI uri = new URI(s);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(key + ": '" + s + "' is not an http:// or https:// URL");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + ": '" + s + "' is not a URL (" + e.getReason() + ")");
        }
        return s;
    }

    private static void checkCron(String key, String expression) {
        try {
            new CronExpression(expression);
        } catch (ParseException e) {
            throw new IllegalArgumentException(key + ": '" + expression + "' is not a Quartz cron expression ("
                    + e.getMessage() + "); write e.g. \"0 0 0/6 * * ?\" for every 6 hours");
        }
    }
}
