package org.tollguard.cli;

import java.util.LinkedHashMap;
import java.util.Map;
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

    /** What every command's exit status means (shown by {@code --help} and {@code tollguard help CMD}). */
    static final Map<String, String> EXIT_CODES = exitCodes();

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "done");
        codes.put("1", "failed: the agent is not reachable, refused the request, or could not start");
        codes.put("2", "wrong usage (unknown option, missing argument)");
        codes.put("3", "bans, status: something decided is NOT enforced (the agent is retrying it)");
        codes.put("73", "run: the store cannot be opened or created");
        codes.put("78", "run, check-config, classify: the configuration is wrong (not retried by systemd)");
        codes.put("143", "run: stopped by SIGTERM (systemctl stop): a clean stop");
        return codes;
    }

    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        describeExitCodes(line);
        for (CommandLine sub : line.getSubcommands().values()) {
            if (sub.getCommandSpec().optionsMap().get("--help") == null) {
                sub.getCommandSpec().mixinStandardHelpOptions(true); // every subcommand answers --help and -h
            }
            describeExitCodes(sub);
        }
        return line;
    }

    private static void describeExitCodes(CommandLine line) {
        line.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
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
