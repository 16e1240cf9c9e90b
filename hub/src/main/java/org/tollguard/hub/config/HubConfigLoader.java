package org.tollguard.hub.config;

import java.nio.file.Path;
import org.tollguard.yamlconfig.ConfigException;
import org.tollguard.yamlconfig.StrictYaml;

/** Reads {@code hub.yml} with the same strictness as the agent's config: file, line and key in every error. */
public final class HubConfigLoader {
    public static final Path DEFAULT_PATH = Path.of("/etc/tollguard-hub/hub.yml");

    private static final StrictYaml<HubConfig> YAML = new StrictYaml<>(HubConfig.class, HubConfig::defaults,
            type -> type.getPackage() == HubConfig.class.getPackage(), type -> null);

    private HubConfigLoader() {}

    public static HubConfig load(Path file) throws ConfigException {
        return YAML.load(file);
    }

    public static HubConfig parse(String source, String yaml) throws ConfigException {
        return YAML.parse(source, yaml);
    }

    public static String render(HubConfig config) {
        return YAML.render(config);
    }
}
