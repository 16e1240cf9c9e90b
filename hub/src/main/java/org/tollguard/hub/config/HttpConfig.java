package org.tollguard.hub.config;

import java.nio.file.Path;
import org.tollguard.yamlconfig.Checks;

/**
 * {@code http:} where the hub listens. With {@code tls-certificate} and {@code tls-key} (PEM) it serves HTTPS;
 * without, plain HTTP for a reverse proxy in front that terminates TLS.
 */
public record HttpConfig(String address, Integer port, Path tlsCertificate, Path tlsKey) {
    public HttpConfig {
        address = address == null ? "127.0.0.1" : address;
        port = port == null ? 8080 : port;
        Checks.port("port", port);
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new IllegalArgumentException((tlsCertificate == null ? "tls-certificate" : "tls-key")
                    + ": HTTPS needs both tls-certificate and tls-key (PEM files)");
        }
    }

    public boolean tls() {
        return tlsCertificate != null;
    }

    public static HttpConfig defaults() {
        return new HttpConfig(null, null, null, null);
    }
}
