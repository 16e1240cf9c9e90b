package org.tollguard.hub.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tollguard.hub.HubKeys;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.config.HubConfigLoader;
import org.tollguard.protocol.minisign.MinisignException;
import org.tollguard.yamlconfig.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "check-config", description = "Validate the configuration and the signing keys; print the effective configuration.")
final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "File to check (default: the --config file).")
    Path file;

    @Override
    public Integer call() {
        Path target = file != null ? file : config.file;
        try {
            HubConfig effective = HubConfigLoader.load(target);
            System.out.print(HubConfigLoader.render(effective));
            HubKeys keys = HubKeys.load(effective.signing());
            System.err.println("tollguard-hub: signing key " + keys.secretKey().keyId() + "; agents trust "
                    + keys.trusted().size() + " key(s)");
            System.err.println("tollguard-hub: configuration file " + target + " is valid");
            return 0;
        } catch (ConfigException | MinisignException e) {
            System.err.println("tollguard-hub: " + e.getMessage());
            System.err.println("tollguard-hub: configuration file " + target + " test failed");
            return 1;
        }
    }
}
