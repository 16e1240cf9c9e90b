package org.tollguard.hub.config;

import java.time.Duration;
import org.tollguard.yamlconfig.Checks;

/** {@code enrollment:} how long a one-time enrollment token stays usable. */
public record EnrollmentConfig(Duration tokenValidity) {
    public EnrollmentConfig {
        tokenValidity = tokenValidity == null ? Duration.ofDays(7) : tokenValidity;
        Checks.positive("token-validity", tokenValidity);
    }

    public static EnrollmentConfig defaults() {
        return new EnrollmentConfig(null);
    }
}
