package org.tollguard.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runs ordinary programs of the base system; needs no privileges. */
class CommandRunnerTest {
    private final CommandRunner runner = new CommandRunner(null, Duration.ofSeconds(5));

    @Test
    void capturesStdoutAndFeedsStdin() throws FirewallException {
        assertEquals("hello\n", runner.run("echo", "hello"));
        assertEquals("line one\nline two\n", runner.runWithInput("line one\nline two\n", "cat"));
    }

    @Test
    void failureNamesTheCommandAndItsStderr() {
        FirewallException e = assertThrows(FirewallException.class,
                () -> runner.run("sh", "-c", "echo 'Hash is full' >&2; exit 3"));
        assertEquals("command 'sh -c echo 'Hash is full' >&2; exit 3' failed with exit code 3: Hash is full",
                e.getMessage());
    }

    @Test
    void resultKeepsExitCodeAndBothStreams() throws FirewallException {
        CommandRunner.Result r = runner.runAllowingFailure(null, "sh", "-c", "echo out; echo err >&2; exit 1");
        assertEquals(1, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
    }

    @Test
    void missingProgramIsAClearError() {
        FirewallException e = assertThrows(FirewallException.class, () -> runner.run("tollguard-no-such-tool"));
        assertTrue(e.getMessage().startsWith("cannot run 'tollguard-no-such-tool'"), e.getMessage());
    }

    @Test
    void slowCommandIsKilled() {
        CommandRunner quick = new CommandRunner(null, Duration.ofMillis(300));
        FirewallException e = assertThrows(FirewallException.class, () -> quick.run("sleep", "10"));
        assertTrue(e.getMessage().contains("did not finish within 300 ms"), e.getMessage());
    }

    @Test
    void largeOutputOnBothStreamsDoesNotBlock() throws FirewallException {
        String out = runner.run("sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x; head -c 300000 /dev/zero >&2");
        assertEquals(300000, out.length());
    }

    @Test
    void findsToolsInSbinEvenWithoutThemOnPath() {
        assertEquals("/usr/sbin/tollguard-x", CommandRunner.resolve("/usr/sbin/tollguard-x"));
        assertTrue(CommandRunner.resolve("sh").endsWith("/sh"));
    }
}
