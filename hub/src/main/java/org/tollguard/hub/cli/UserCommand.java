package org.tollguard.hub.cli;

import java.io.Console;
import java.time.Clock;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.portal.Tenants;
import org.tollguard.hub.web.PasswordHasher;
import org.tollguard.hub.web.UserRole;
import org.tollguard.hub.web.Users;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "user", description = "Add a person who logs in to the review pages or the portal (asks for the password; "
        + "or reads it from standard input with --password-stdin), or disable one.")
final class UserCommand extends HubCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The user name.")
    String name;

    @Option(names = "--role", defaultValue = "reviewer", paramLabel = "ROLE",
            description = "reviewer (decides candidates), admin (also allowlist, rules and users) or reseller (the "
                    + "portal: its customers; needs --reseller). Default: reviewer.")
    String role;

    @Option(names = "--reseller", paramLabel = "RESELLER",
            description = "With --role reseller: the reseller the user belongs to (created if new).")
    String reseller;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Option(names = "--disable", description = "Disable the user and end its sessions instead.")
    boolean disable;

    @Override
    int run(HubConfig config) throws Exception {
        try (Database db = open(config)) {
            Users users = new Users(db.dataSource(), new PasswordHasher(config.review().bcryptCost()),
                    Clock.systemUTC());
            if (disable) {
                users.setDisabled(name, true);
                System.err.println("tollguard-hub: user " + name + " disabled");
                return 0;
            }
            UserRole parsed = UserRole.parse(role);
            if ((parsed == UserRole.RESELLER) != (reseller != null)) {
                throw new CommandFailed("--reseller goes with --role reseller, and --role reseller needs it "
                        + "(customers' users are added in the portal by their reseller)");
            }
            if (parsed == UserRole.RESELLER) {
                Tenants tenants = new Tenants(db);
                long id = tenants.resellerId(reseller).orElse(0L);
                users.create(name, password(), parsed, id != 0 ? id : tenants.createReseller(reseller), null);
            } else {
                users.create(name, password(), parsed);
            }
            System.err.println("tollguard-hub: user " + name + " (" + role + ") added");
            return 0;
        } catch (IllegalArgumentException e) {
            throw new CommandFailed(e.getMessage());
        }
    }

    private String password() throws Exception {
        if (passwordStdin) {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
            if (line == null) {
                throw new CommandFailed("--password-stdin: standard input is empty");
            }
            return line;
        }
        Console console = System.console();
        if (console == null) {
            throw new CommandFailed("no terminal to ask for the password: use --password-stdin");
        }
        char[] first = console.readPassword("Password for %s: ", name);
        char[] again = console.readPassword("Again: ");
        if (first == null || !java.util.Arrays.equals(first, again)) {
            throw new CommandFailed("the passwords differ");
        }
        return new String(first);
    }
}
