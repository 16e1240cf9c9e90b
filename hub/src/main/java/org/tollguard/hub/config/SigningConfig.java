package org.tollguard.hub.config;

import java.nio.file.Path;
import java.util.List;
import org.tollguard.yamlconfig.Checks;

/**
 * {@code signing:} the minisign secret key the list is signed with ({@code tollguard-hub keygen}), and public
 * keys agents should trust besides its own (the next key, while the key is being rotated).
 */
public record SigningConfig(Path secretKey, List<Path> extraPublicKeys) {
    public static final Path DEFAULT_SECRET_KEY = Path.of("/etc/tollguard-hub/hub.key");

    public SigningConfig {
        secretKey = secretKey == null ? DEFAULT_SECRET_KEY : secretKey;
        extraPublicKeys = extraPublicKeys == null ? List.of() : extraPublicKeys;
        Checks.noEmptyEntries("extra-public-keys", extraPublicKeys);
        extraPublicKeys = List.copyOf(extraPublicKeys);
    }

    public static SigningConfig defaults() {
        return new SigningConfig(null, null);
    }
}
