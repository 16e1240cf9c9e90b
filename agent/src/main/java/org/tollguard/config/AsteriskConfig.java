package org.tollguard.config;

import java.time.Duration;
import org.tollguard.yamlconfig.Secret;
import org.tollguard.yamlconfig.Checks;

/** {@code asterisk:} the AMI connection. */
public record AsteriskConfig(
        Boolean enabled,
        String host,
        Integer port,
        String username,
        Secret secret,
        Duration connectTimeout,
        Duration reconnectMax) {

    public AsteriskConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 5038 : port;
        username = username == null ? "tollguard" : username;
        secret = secret == null ? new Secret("") : secret;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        reconnectMax = reconnectMax == null ? Duration.ofSeconds(30) : reconnectMax;
        Checks.port("port", port);
        Checks.positive("connect-timeout", connectTimeout);
        Checks.positive("reconnect-max", reconnectMax);
    }

    public static AsteriskConfig defaults() {
        return new AsteriskConfig(null, null, null, null, null, null, null);
    }
}
