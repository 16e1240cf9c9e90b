package org.tollguard.config;

import com.fasterxml.jackson.databind.module.SimpleModule;
import java.nio.file.Path;
import org.tollguard.net.Cidr;
import org.tollguard.yamlconfig.ConfigException;
import org.tollguard.yamlconfig.StrictYaml;

/**
 * Reads {@code tollguard.yml} strictly (see {@link StrictYaml}): unknown keys, wrong types and impossible values
 * fail with the file, line and key path, never with a stack trace.
 */
public final class ConfigLoader {
    public static final Path DEFAULT_PATH = Path.of("/etc/tollguard/tollguard.yml");

    /** Config sections are the records of this package. */
    private static final StrictYaml<TollguardConfig> YAML = new StrictYaml<>(TollguardConfig.class,
            TollguardConfig::defaults, type -> type.getPackage() == TollguardConfig.class.getPackage(),
            type -> type == Cidr.class ? "an IP address or network here" : null);

    private ConfigLoader() {}

    public static TollguardConfig load(Path file) throws ConfigException {
        return YAML.load(file);
    }

    public static TollguardConfig parse(String source, String yaml) throws ConfigException {
        return YAML.parse(source, yaml);
    }

    /** The effective configuration as YAML, secrets masked. */
    public static String render(TollguardConfig config) {
        return YAML.render(config);
    }

    /** How config values read and print: durations as {@code 90s}/{@code 6h}, paths as text. */
    public static SimpleModule valueModule() {
        return StrictYaml.valueModule();
    }
}
