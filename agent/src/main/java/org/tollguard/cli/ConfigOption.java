package org.tollguard.cli;

import java.nio.file.Path;
import org.tollguard.yamlconfig.ConfigException;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import picocli.CommandLine.Option;

/** The shared {@code --config FILE} option. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path file = ConfigLoader.DEFAULT_PATH;

    TollguardConfig load() throws ConfigException {
        return ConfigLoader.load(file);
    }

    /** The config if the file exists, else the defaults (commands that only need the API address). */
    TollguardConfig loadOrDefaults() throws ConfigException {
        return java.nio.file.Files.exists(file) ? load() : TollguardConfig.defaults();
    }
}
