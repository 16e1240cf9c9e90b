package org.tollguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every subcommand answers --help and {@code tollguard help CMD}, with its options and the exit codes. */
class HelpTest {

    private record Run(int exit, String out) {}

    private static Run run(String... args) {
        CommandLine line = Main.commandLine();
        StringWriter out = new StringWriter();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(out));
        int exit = line.execute(args);
        return new Run(exit, out.toString());
    }

    @Test
    void everySubcommandAnswersHelpBothWays() {
        for (String name : Main.commandLine().getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Run dashed = run(name, "--help");
            assertEquals(0, dashed.exit(), name + " --help");
            assertTrue(dashed.out().startsWith("Usage: tollguard " + name), name + " --help:\n" + dashed.out());
            assertTrue(dashed.out().contains("Exit codes:"), name + " --help shows the exit codes");
            Run viaHelp = run("help", name);
            assertEquals(0, viaHelp.exit(), "help " + name);
            assertEquals(dashed.out(), viaHelp.out(), "help " + name + " says the same as " + name + " --help");
        }
    }

    @Test
    void theExitCodesAreDocumented() {
        String out = run("--help").out();
        for (String code : Main.EXIT_CODES.keySet()) {
            assertTrue(out.lines().anyMatch(l -> l.strip().startsWith(code + " ")), "exit code " + code + " in:\n" + out);
        }
        assertTrue(run("ban", "--help").out().contains("--reason"));
    }

    @Test
    void theReadmeListsTheSameExitCodes() throws Exception {
        String readme = java.nio.file.Files.readString(org.tollguard.testbed.Testbed.root().resolve("README.md"));
        for (String code : Main.EXIT_CODES.keySet()) {
            assertTrue(readme.lines().anyMatch(l -> l.startsWith("| " + code + " |")), "exit code " + code + " in README.md");
        }
    }
}
