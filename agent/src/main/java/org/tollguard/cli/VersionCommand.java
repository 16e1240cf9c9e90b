package org.tollguard.cli;

import java.util.concurrent.Callable;
import org.tollguard.Version;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the agent's version.")
final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("tollguard " + Version.get() + " (Java " + Runtime.version() + ")");
        return 0;
    }
}
