package org.tollguard.hub.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.tollguard.hub.config.AutoApproveConfig;
import org.tollguard.hub.config.DatabaseConfig;
import org.tollguard.hub.config.EnrollmentConfig;
import org.tollguard.hub.config.HttpConfig;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.config.IntakeConfig;
import org.tollguard.hub.config.PublicationConfig;
import org.tollguard.hub.config.SigningConfig;
import org.tollguard.protocol.minisign.MinisignSecretKey;

/** Hub configurations for tests: a key pair in a temp directory, a free port, short intervals. */
public final class TestHubs {
    private TestHubs() {}

    /** Writes {@code hub.key} and {@code hub.pub} into {@code dir}; returns the key. */
    public static MinisignSecretKey writeKey(Path dir) throws IOException {
        MinisignSecretKey key = MinisignSecretKey.generate();
        Files.writeString(dir.resolve("hub.key"), key.fileText());
        Files.writeString(dir.resolve("hub.pub"), key.publicKey().fileText());
        return key;
    }

    public static HubConfig config(DatabaseConfig database, Path dir, int port) {
        return config(database, dir, port, new IntakeConfig(null, null, 1000.0, 5000, null),
                new AutoApproveConfig(true, 3, Duration.ofHours(1), Duration.ofDays(7)));
    }

    public static HubConfig config(DatabaseConfig database, Path dir, int port, IntakeConfig intake,
                                   AutoApproveConfig autoApprove) {
        return config(database, dir, port, intake, autoApprove, publication(null));
    }

    /** Publication every 200 ms; {@code directory}, if not null, mirrored for a static server. */
    public static PublicationConfig publication(Path directory) {
        return new PublicationConfig("community", Duration.ofMillis(200), Duration.ofDays(1), Duration.ofHours(6),
                Duration.ofDays(7), directory, false);
    }

    public static HubConfig config(DatabaseConfig database, Path dir, int port, IntakeConfig intake,
                                   AutoApproveConfig autoApprove, PublicationConfig publication) {
        return new HubConfig(database, new HttpConfig("127.0.0.1", port, null, null),
                new SigningConfig(dir.resolve("hub.key"), List.of()), publication,
                intake, autoApprove, new EnrollmentConfig(Duration.ofHours(1)));
    }
}
