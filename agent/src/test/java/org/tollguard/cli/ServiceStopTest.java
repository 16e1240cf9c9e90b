package org.tollguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.support.Ports;
import org.tollguard.testbed.Testbed;

/**
 * What systemd sees of {@code tollguard run} (installer/tollguard.service): SIGTERM ({@code systemctl stop}) ends
 * the agent cleanly with 143, which the unit counts as success, so the unit is inactive, not failed; a wrong
 * configuration exits 78, which the unit does not restart; other failures are restarted with a delay and a limit.
 */
class ServiceStopTest {
    @TempDir
    Path dir;

    @Test
    void sigtermIsACleanStopAndTheUnitSaysSo() throws Exception {
        Path config = dir.resolve("tollguard.yml");
        Files.writeString(config, """
                store: {path: %s}
                api: {port: %d, token-file: %s}
                asterisk: {enabled: false}
                firewall: {backend: log}
                metrics: {enabled: false}
                """.formatted(dir.resolve("t.db"), Ports.freePort(), dir.resolve("api.token")));
        Process agent = tollguard("run", "--config", config.toString());
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.contains("agent started")) {
                lines.add(line);
            }
            assertTrue(line != null, "the agent did not start: " + lines);
            // SIGTERM, as systemctl stop sends it (Process.destroy would close our end of its output)
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid())).start().waitFor());
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        }
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "stopped within the unit's TimeoutStopSec");
        assertEquals(143, agent.exitValue(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("agent stopped")), "closed by its shutdown hook: " + lines);

        List<String> unit = Files.readAllLines(Testbed.root().resolve("installer/tollguard.service"));
        assertTrue(unit.contains("SuccessExitStatus=143"), "143 counts as a clean stop: not failed");
        assertTrue(unit.contains("Restart=on-failure"));
        assertTrue(unit.contains("RestartSec=10s"), "restarts wait");
        assertTrue(unit.contains("StartLimitBurst=6") && unit.contains("StartLimitIntervalSec=10min"),
                "and stop after 6 starts in 10 minutes");
        assertTrue(unit.contains("RestartPreventExitStatus=78"), "a configuration error is not restarted");
    }

    @Test
    void aWrongConfigurationExits78() throws Exception {
        Path config = dir.resolve("tollguard.yml");
        Files.writeString(config, "firewall: {backend: pf}\n");
        Process agent = tollguard("run", "--config", config.toString());
        String out = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        assertEquals(78, agent.exitValue(), out);
        assertTrue(out.contains("backend"), out);
    }

    private static Process tollguard(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
