package org.tollguard.hub.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tollguard-hub} command. */
@Command(name = "tollguard-hub",
        mixinStandardHelpOptions = true,
        version = "tollguard-hub 0.1.0",
        description = "The tollguard hub: agent enrollment, report intake and the signed community list.",
        subcommands = {
                ServeCommand.class,
                CheckConfigCommand.class,
                KeygenCommand.class,
                EnrollCommand.class,
                ApproveCommand.class,
                PublishCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit status for a configuration that cannot be used (systemd does not restart on it). */
    static final int CONFIG_ERROR = 78;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
