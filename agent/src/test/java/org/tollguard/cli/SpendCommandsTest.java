package org.tollguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.Agent;
import org.tollguard.config.ConfigLoader;
import org.tollguard.pbx.CallAnswered;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.PbxEvent;
import org.tollguard.support.MutableClock;

/**
 * The spend commands against a running agent (no PBX): import-cdr, accounts, reload-rates, and import-cdr
 * straight into the store when the agent is stopped.
 */
class SpendCommandsTest {
    @TempDir
    Path dir;

    private Path configFile;
    private Path deck;
    private Path master;
    private Agent agent;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        deck = dir.resolve("rates.csv");
        Files.writeString(deck, """
                prefix,description,price-per-minute,setup-price,increments
                31,Netherlands,0.01,0,60/60
                31900,Netherlands 0900,0.80,0.05,1/1
                31909,Netherlands 0909,1.20,0,1/1
                1,United States,0.02,0,6/6
                """);
        master = dir.resolve("Master.csv");
        try (var in = SpendCommandsTest.class.getResourceAsStream("/org/tollguard/spend/Master.csv")) {
            Files.copy(in, master);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        configFile = dir.resolve("tollguard.yml");
        Files.writeString(configFile, """
                store:
                  path: %s
                api:
                  port: %d
                  token-file: %s
                asterisk:
                  enabled: false
                firewall:
                  backend: log
                calls:
                  groups:
                    office:
                      accounts: ["1002", "1003"]
                ids:
                  time-zone: UTC
                  rate-deck: %s
                  min-history: 0d
                  delta: 40
                  group-deltas:
                    office: 25
                """.formatted(dir.resolve("t.db"), port, dir.resolve("api.token"), deck));
        agent = Agent.start(ConfigLoader.load(configFile), clock);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private record Run(int exit, String out, String err) {}

    private Run tollguard(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            String[] full = new String[args.length + 2];
            System.arraycopy(args, 0, full, 0, args.length);
            full[args.length] = "--config";
            full[args.length + 1] = configFile.toString();
            int exit = Main.commandLine().execute(full);
            return new Run(exit, withoutLog(out), withoutLog(err));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** What the command printed, without the agent's log lines (the test's logger writes to the same stream). */
    private static String withoutLog(ByteArrayOutputStream captured) {
        StringBuilder sb = new StringBuilder();
        captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} level=.*"))
                .forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    private void pbx(PbxEvent e) {
        agent.calls().onEvent(e);
        agent.spend().onEvent(e);
    }

    @Test
    void importThenAccountsShowsSpendBaselineDeltaAndThreshold() throws Exception {
        Run imported = tollguard("import-cdr", master.toString(), "--utc");
        assertEquals(1, imported.exit(), "two bad lines: " + imported);
        assertTrue(imported.out().startsWith("imported 5 calls (1.53 EUR) from " + master + " by the running agent,"
                + " times read as UTC"), imported.out());
        assertTrue(imported.out().contains("11 lines: 5 imported, 1 already stored, 3 not an answered outgoing call, 2 bad"),
                imported.out());
        assertTrue(imported.out().contains("  line 7: end time '2026-11-22 not a time' is not YYYY-MM-DD HH:MM:SS"),
                imported.out());

        // 1002 spent 0.076667 + 1.22 + 0.20 yesterday on monitored calls (its 0.01 national call does not count)
        pbx(new CallStarted("live-1", "1002", "1002", "09091234567", null, clock.instant()));
        pbx(new CallAnswered("live-1", clock.instant()));
        clock.advance(Duration.ofSeconds(90));
        agent.spend().tickNow().get();
        Run accounts = tollguard("accounts");
        assertEquals(0, accounts.exit(), accounts.toString());
        List<String> lines = accounts.out().lines().toList();
        assertEquals(List.of("ACCOUNT", "GROUP", "STATUS", "CALLS/MAX", "MAX-DUR", "TODAY(EUR)", "LIVE", "BASELINE",
                "DELTA", "THRESHOLD", "BLOCKED", "CATEGORIES"), List.of(lines.get(0).split("\\s+")), lines.get(0));
        String row = lines.stream().filter(l -> l.startsWith("1002 ")).findFirst().orElseThrow();
        assertEquals(List.of("1002", "office", "ok", "1/-", "-", "1.80", "1.80", "1.50", "25.00", "26.50", "[\"high-risk\"]"),
                List.of(row.split("\\s+")), row);
        String row1003 = lines.stream().filter(l -> l.startsWith("1003 ")).findFirst().orElseThrow();
        assertTrue(row1003.contains("0.00        0.00  0.00      25.00  25.00"), row1003);

        Run one = tollguard("accounts");
        assertEquals(accounts.out(), one.out(), "stable output");
    }

    @Test
    void reloadRatesReportsTheDeckOrWhyItWasRefused() throws Exception {
        Files.writeString(deck, "31,Netherlands,0.02,0,60/60\n1,United States,0.02,0,6/6\n");
        Run ok = tollguard("reload-rates");
        assertEquals(0, ok.exit(), ok.toString());
        assertEquals("rate deck " + deck + " loaded: 2 rates\n", ok.out());

        Files.writeString(deck, "31,Netherlands,0.02,0,60/60\n1,United States,two cents,0,6/6\n");
        Run bad = tollguard("reload-rates");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("rate deck not loaded: " + deck + ":2: price-per-minute 'two cents' is not an amount"),
                bad.err());
        assertTrue(bad.err().contains("the previous deck (2 rates) stays in use"), bad.err());
        assertEquals(2, agent.spend().rates().current().deck().size());
    }

    @Test
    void checkConfigReadsTheRateDeckToo() throws Exception {
        Run ok = tollguard("check-config");
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.err().contains("rate deck " + deck + ": 4 rates"), ok.err());
        Files.writeString(deck, "31,Netherlands,0.01,0,60/60\n32,Belgium,0.01,0,60\n");
        Run bad = tollguard("check-config");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("rate deck " + deck + ":2: increments '60' are not FIRST/NEXT seconds"), bad.err());
    }

    @Test
    void withTheAgentStoppedImportGoesStraightIntoTheStore() throws Exception {
        agent.close();
        agent = null;
        Run first = tollguard("import-cdr", master.toString(), "--time-zone", "UTC");
        assertTrue(first.out().contains("into " + dir.resolve("t.db") + " (the agent is not running)"), first.toString());
        assertTrue(first.out().contains("5 imported"), first.out());
        Run again = tollguard("import-cdr", master.toString(), "--utc");
        assertTrue(again.out().contains("0 imported, 6 already stored"), again.out());

        agent = Agent.start(ConfigLoader.load(configFile), clock);
        assertEquals(new java.math.BigDecimal("1.496667"), agent.spend().status("1002").baseline(),
                "the agent reads what was imported while it was down");
        assertEquals(1, tollguard("import-cdr", dir.resolve("missing.csv").toString()).exit());
        assertTrue(tollguard("import-cdr", master.toString(), "--time-zone", "Mars/Base").err()
                .contains("--time-zone: 'Mars/Base' is not a time zone"));
    }
}
