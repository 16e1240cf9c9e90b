package org.tollguard.config;

import java.nio.file.Path;
import org.tollguard.yamlconfig.Checks;

/** {@code api:} the local admin API the CLI talks to. Loopback only; a token file guards it. */
public record ApiConfig(String listen, Integer port, Path tokenFile) {
    public static final Path DEFAULT_TOKEN_FILE = Path.of("/var/lib/tollguard/api.token");

    public ApiConfig {
        listen = listen == null ? "127.0.0.1" : listen;
        port = port == null ? 8461 : port;
        tokenFile = tokenFile == null ? DEFAULT_TOKEN_FILE : tokenFile;
        Checks.port("port", port);
        if (!listen.equals("127.0.0.1") && !listen.equals("::1") && !listen.equals("localhost")) {
            throw new IllegalArgumentException("listen: must be a loopback address (127.0.0.1 or ::1), not " + listen);
        }
    }

    public static ApiConfig defaults() {
        return new ApiConfig(null, null, null);
    }
}
