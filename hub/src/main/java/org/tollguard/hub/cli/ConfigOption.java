package org.tollguard.hub.cli;

import java.nio.file.Path;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.config.HubConfigLoader;
import org.tollguard.yamlconfig.ConfigException;
import picocli.CommandLine.Option;

/** The shared {@code --config FILE} option. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path file = HubConfigLoader.DEFAULT_PATH;

    HubConfig load() throws ConfigException {
        return HubConfigLoader.load(file);
    }
}
