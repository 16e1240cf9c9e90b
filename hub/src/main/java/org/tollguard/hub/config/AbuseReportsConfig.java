package org.tollguard.hub.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import org.tollguard.yamlconfig.Checks;
import org.tollguard.yamlconfig.Secret;

/**
 * {@code abuse-reports:} the hub operator's opt-in to telling networks about the addresses it lists. When
 * {@code enabled}, each newly listed address reported by an operator who opted in (on the reporters page) gets its
 * network's abuse contact looked up through RDAP at {@code rdap} (answers kept for {@code cache-for}), and each
 * contact gets at most one X-ARF v4 mail a day, sent through {@code smtp} as {@code org} ({@code domain}). A
 * failed lookup or mail is tried again after {@code retry}; the job runs every {@code interval}.
 */
public record AbuseReportsConfig(Boolean enabled, String rdap, Duration cacheFor, Duration timeout, Duration interval,
                                 Duration retry, String org, String domain,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) Smtp smtp) {
    public AbuseReportsConfig {
        enabled = enabled != null && enabled;
        rdap = rdap == null ? "https://rdap.org" : rdap.strip().replaceAll("/+$", "");
        cacheFor = cacheFor == null ? Duration.ofDays(7) : cacheFor;
        timeout = timeout == null ? Duration.ofSeconds(20) : timeout;
        interval = interval == null ? Duration.ofMinutes(1) : interval;
        retry = retry == null ? Duration.ofMinutes(15) : retry;
        checkRdap(rdap);
        Checks.positive("cache-for", cacheFor);
        Checks.positive("timeout", timeout);
        Checks.positive("interval", interval);
        Checks.positive("retry", retry);
        org = blankToNull(org);
        domain = blankToNull(domain);
        if (domain != null && !domain.matches("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw new IllegalArgumentException("domain: '" + domain + "' is not a domain name (write e.g. example.net)");
        }
        if (enabled) {
            if (org == null) {
                throw new IllegalArgumentException("org: is required when enabled (who reports, as the abuse desk "
                        + "reads it, e.g. \"Example VoIP community\")");
            }
            if (domain == null) {
                throw new IllegalArgumentException("domain: is required when enabled (your organisation's domain, "
                        + "e.g. example.net)");
            }
            if (smtp == null) {
                throw new IllegalArgumentException("smtp: is required when enabled (the server the reports are "
                        + "sent through: host, from, ...)");
            }
        }
    }

    private static void checkRdap(String rdap) {
        URI uri;
        try {
            uri = new URI(rdap);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("rdap: '" + rdap + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("rdap: '" + rdap + "' is not an http(s) URL (write e.g. https://rdap.org)");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("rdap: use https (plain http only for a server on this host)");
        }
    }

    static boolean isLoopback(String host) {
        try {
            return host.equals("localhost") || InetAddress.getByName(host.replaceAll("^\\[|]$", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    public static AbuseReportsConfig defaults() {
        return new AbuseReportsConfig(null, null, null, null, null, null, null, null, null);
    }

    /**
     * {@code smtp:} where the reports go out, as the agent's alert mail does: STARTTLS by default (the mail is not
     * sent if the server does not offer it), the server's certificate and name checked; {@code tls} for port 465;
     * {@code none} only to a relay on this host.
     */
    public record Smtp(String host, Integer port, Security security, String username, Secret password, String from,
                       String replyTo) {
        public enum Security {
            @JsonProperty("starttls") STARTTLS,
            @JsonProperty("tls") TLS,
            @JsonProperty("none") NONE
        }

        public Smtp {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host: is required (the SMTP server, e.g. smtp.example.net)");
            }
            host = host.strip();
            security = security == null ? Security.STARTTLS : security;
            port = port == null ? switch (security) {
                case STARTTLS -> 587;
                case TLS -> 465;
                case NONE -> 25;
            } : port;
            Checks.port("port", port);
            username = blankToNull(username);
            password = password == null ? new Secret("") : password;
            if (username != null && password.isEmpty()) {
                throw new IllegalArgumentException("password: is required when username is set");
            }
            if (security == Security.NONE && !isLoopback(host)) {
                throw new IllegalArgumentException("security: 'none' only for a relay on this host; " + host
                        + " needs starttls or tls");
            }
            from = checkAddress("from", from, true);
            replyTo = checkAddress("reply-to", replyTo, false);
        }

        private static String checkAddress(String key, String value, boolean required) {
            if (value == null || value.isBlank()) {
                if (required) {
                    throw new IllegalArgumentException(key + ": is required (write e.g. abuse-reports@example.net)");
                }
                return null;
            }
            String v = value.strip();
            if (!v.matches("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+")) {
                throw new IllegalArgumentException(key + ": '" + v + "' is not an e-mail address");
            }
            return v;
        }
    }
}
