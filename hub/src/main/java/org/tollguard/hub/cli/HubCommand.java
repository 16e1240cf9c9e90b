package org.tollguard.hub.cli;

import java.util.concurrent.Callable;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.yamlconfig.ConfigException;
import picocli.CommandLine.Mixin;

/** A command that reads the config and works on the database; errors are one line on stderr, never a trace. */
abstract class HubCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public final Integer call() {
        HubConfig loaded;
        try {
            loaded = config.load();
        } catch (ConfigException e) {
            System.err.println("tollguard-hub: " + e.getMessage());
            return Main.CONFIG_ERROR;
        }
        try {
            return run(loaded);
        } catch (CommandFailed e) {
            System.err.println("tollguard-hub: " + e.getMessage());
            return 1;
        } catch (java.sql.SQLException e) {
            System.err.println("tollguard-hub: database: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            System.err.println("tollguard-hub: " + e.getMessage());
            return 1;
        }
    }

    abstract int run(HubConfig config) throws Exception;

    static Database open(HubConfig config) throws java.sql.SQLException {
        return Database.open(config.database());
    }

    /** Who is doing this, for the record: the sudo user if any, else the login user. */
    static String whoAmI() {
        String sudo = System.getenv("SUDO_USER");
        return sudo != null && !sudo.isBlank() ? sudo : System.getProperty("user.name");
    }

    static final class CommandFailed extends Exception {
        CommandFailed(String message) {
            super(message);
        }
    }
}
