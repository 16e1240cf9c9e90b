package org.tollguard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.tollguard.blacklist.Enrollment;
import org.tollguard.blacklist.ListException;
import org.tollguard.yamlconfig.ConfigException;
import org.tollguard.config.HubConfig;
import org.tollguard.config.TollguardConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "enroll", description = {
        "Enroll this agent with a tollguard hub: exchange the one-time TOKEN (from `tollguard-hub enroll --site NAME`)"
                + " for the agent's own credential, kept in hub.credential-file (mode 0600) and used by the hub list"
                + " source and reporting.",
        "The list's public keys given by the hub are pinned in the same file unless hub.public-keys pins them."})
final class EnrollCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "The hub's base URL, e.g. https://hub.example.org")
    String url;

    @Parameters(index = "1", paramLabel = "TOKEN", description = "The one-time enrollment token.")
    String token;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            TollguardConfig loaded = config.loadOrDefaults();
            HubConfig configured = loaded.hub();
            HubConfig hub = new HubConfig(url, configured.credentialFile(), configured.caFile(),
                    configured.publicKeys(), configured.pollInterval());
            if (configured.configured() && !configured.url().equals(hub.url())) {
                throw new CliException("hub.url in " + config.file + " is " + configured.url() + ", not " + hub.url()
                        + ": enroll with that URL or change hub.url first");
            }
            Enrollment enrollment = Enrollment.enroll(hub, token.strip(), hostname(), Instant.now());
            boolean replaced = java.nio.file.Files.exists(hub.credentialFile());
            enrollment.write(hub.credentialFile());
            out.println("enrolled with " + hub.url() + " as agent " + enrollment.agentId() + " of site "
                    + enrollment.site());
            out.println("credential " + (replaced ? "replaced in " : "written to ") + hub.credentialFile()
                    + " (readable by its owner only)");
            out.println("list " + enrollment.list() + ", signed by "
                    + (hub.publicKeys().isEmpty() ? String.join(", ", enrollment.publicKeys()) + " (pinned now)"
                    : "the keys pinned in hub.public-keys"));
            if (!configured.configured()) {
                out.println("next: set hub.url: " + hub.url() + " in " + config.file
                        + " (and a source of type hub) and restart tollguard");
            }
            return 0;
        } catch (ConfigException | CliException | ListException | IllegalArgumentException e) {
            err.println("tollguard: enroll: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("tollguard: enroll: cannot write the credential: " + e.getMessage()
                    + " (run as root)");
            return 1;
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }
}
