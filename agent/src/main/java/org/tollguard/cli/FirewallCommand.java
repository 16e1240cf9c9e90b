package org.tollguard.cli;

import java.util.concurrent.Callable;
import org.tollguard.yamlconfig.ConfigException;
import org.tollguard.firewall.Firewall;
import org.tollguard.firewall.FirewallException;
import org.tollguard.firewall.Firewalls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Direct access to tollguard's own firewall objects, without the agent (inspection, uninstall). */
@Command(name = "firewall", description = "Show or remove tollguard's own firewall objects (run as root).")
final class FirewallCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "ACTION", description = "list: addresses in the ban sets; remove: delete our rules, chains and sets.")
    Action action;

    enum Action { list, remove }

    @Override
    public Integer call() {
        try {
            Firewall firewall = Firewalls.create(config.loadOrDefaults().firewall());
            if (action == Action.list) {
                firewall.listBanned().forEach(System.out::println);
            } else {
                firewall.tearDown();
                System.out.println("removed tollguard's " + firewall.name() + " rules and sets");
            }
            return 0;
        } catch (ConfigException | FirewallException e) {
            System.err.println("tollguard: " + e.getMessage());
            return 1;
        }
    }
}
