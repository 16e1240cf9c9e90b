package org.tollguard.cli;

import org.tollguard.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tollguard} command. */
@Command(name = "tollguard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "SIP brute-force and toll-fraud protection for Asterisk and FreeSWITCH.",
        subcommands = {
                RunCommand.class,
                StatusCommand.class,
                BansCommand.class,
                BanCommand.class,
                UnbanCommand.class,
                CallsCommand.class,
                AccountsCommand.class,
                BlockCommand.class,
                UnblockCommand.class,
                ListsCommand.class,
                SyncCommand.class,
                ReloadRatesCommand.class,
                ImportCdrCommand.class,
                FirewallCommand.class,
                CheckConfigCommand.class,
                EnrollCommand.class,
                ClassifyCommand.class,
                VersionCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tollguard " + Version.get()};
        }
    }
}
