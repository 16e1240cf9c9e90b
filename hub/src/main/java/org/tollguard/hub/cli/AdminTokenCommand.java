package org.tollguard.hub.cli;

import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.web.AdminTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "admin-token", description = "Create a bearer token for the admin API (printed once; the hub "
        + "keeps only its SHA-256), or revoke one.")
final class AdminTokenCommand extends HubCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "What the token is for; the audit log names it.")
    String name;

    @Option(names = "--revoke", description = "Revoke the token of this name.")
    boolean revoke;

    @Override
    int run(HubConfig config) throws Exception {
        try (Database db = open(config)) {
            AdminTokens tokens = new AdminTokens(db.dataSource());
            if (revoke) {
                tokens.revoke(name);
                System.err.println("tollguard-hub: admin API token " + name + " revoked");
            } else {
                System.out.println(tokens.create(name));
            }
            return 0;
        } catch (IllegalArgumentException e) {
            throw new CommandFailed(e.getMessage());
        }
    }
}
