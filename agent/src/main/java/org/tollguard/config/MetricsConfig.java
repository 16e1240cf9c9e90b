package org.tollguard.config;

import org.tollguard.yamlconfig.Checks;

/**
 * {@code metrics:} the Prometheus endpoint ({@code http://LISTEN:PORT/metrics}). Loopback only: scrape it from
 * this host, or through a proxy or SSH tunnel you control.
 */
public record MetricsConfig(Boolean enabled, String listen, Integer port) {
    public MetricsConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        listen = listen == null ? "127.0.0.1" : listen;
        port = port == null ? 9464 : port;
        Checks.port("port", port);
        if (!listen.equals("127.0.0.1") && !listen.equals("::1") && !listen.equals("localhost")) {
            throw new IllegalArgumentException("listen: must be a loopback address (127.0.0.1 or ::1), not " + listen);
        }
    }

    public static MetricsConfig defaults() {
        return new MetricsConfig(null, null, null);
    }
}
