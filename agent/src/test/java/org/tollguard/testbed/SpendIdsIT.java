package org.tollguard.testbed;

import org.tollguard.support.Wait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tollguard.Agent;
import org.tollguard.asterisk.MasterCsv;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Origin;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.numbers.NumbersConfig;
import org.tollguard.spend.Cdr;
import org.tollguard.spend.CdrImport;
import org.tollguard.spend.RateDeck;
import org.tollguard.spend.Rater;
import org.tollguard.store.CdrRepository;
import org.tollguard.store.Store;

/**
 * The spend IDS on the real testbed: real phones make real calls through Asterisk's fake provider, priced so
 * steeply (600 EUR a minute, by the second) that a threshold is crossed within seconds.
 */
class SpendIdsIT {
    private static final String PHONE_1001 = "198.51.100.21";
    private static final String PHONE_1002 = "198.51.100.22";
    private static final Path MASTER_CSV = Path.of("/run/tollguard-testbed/rootfs/var/log/asterisk/cdr-csv/Master.csv");

    @RegisterExtension
    static final TestbedAgent testbed = new TestbedAgent();

    private TollguardConfig config;
    private Agent agent;
    private Path dir;

    private void start() throws Exception {
        dir = AgentHarness.tempDir();
        Path deck = dir.resolve("rates.csv");
        Files.writeString(deck, """
                # steep test prices: 10 EUR a second
                prefix,description,price-per-minute,setup-price,increments
                31,Netherlands fixed,0.01,0,60/60
                31900,Netherlands premium 0900 (test price),600.00,0,1/1
                """);
        config = AgentHarness.config(dir, FirewallConfig.Backend.LOG, """
                calls:
                  pre-dial:
                    listen: 198.18.0.1
                ids:
                  time-zone: UTC
                  rate-deck: %s
                  account-deltas:
                    "1001": 30
                    "1002": 100000
                """.formatted(deck));
        agent = testbed.start(config);
    }

    private List<Decision> decisions(DecisionKind kind, String target) {
        return agent.bans().decisions().recent(500).stream()
                .filter(d -> d.kind() == kind && d.target().text().equals(target)).toList();
    }

    private long liveCalls(String account) {
        return agent.calls().calls().stream().filter(c -> c.account().equals(account) && c.answered() != null).count();
    }

    @Test
    void anAccountPastItsThresholdIsCutMidCallWhileAnotherGoesOn() throws Exception {
        start();
        long t0 = System.nanoTime();
        Process other = Testbed.startCall(PHONE_1002, "1002", "09001230000", 20_000, 5073);
        Wait.until(Duration.ofSeconds(10), () -> liveCalls("1002") == 1, "1002's call up");

        long t1 = System.nanoTime();
        Process first = Testbed.startCall(PHONE_1001, "1001", "09001231111", 30_000, 5071);
        Process second = Testbed.startCall(PHONE_1001, "1001", "09001232222", 30_000, 5072);
        Wait.until(Duration.ofSeconds(15), () -> !decisions(DecisionKind.BLOCK_ACCOUNT, "1001").isEmpty(),
                () -> "1001 blocked by the spend IDS; spend " + agent.spend().status("1001"));
        assertTrue(first.waitFor(10, TimeUnit.SECONDS) && second.waitFor(10, TimeUnit.SECONDS),
                "1001's calls were hung up by the PBX");
        long cutAfter = Duration.ofNanos(System.nanoTime() - t1).toSeconds();
        assertTrue(cutAfter < 15, "cut within seconds, not after the 30 s the callers held on: " + cutAfter + " s");
        assertEquals(0, first.exitValue(), "sipp took the PBX's BYE");
        assertEquals(0, second.exitValue());

        assertTrue(other.isAlive(), "1002's call goes on");
        assertEquals(1, liveCalls("1002"));
        assertTrue(agent.calls().isBlocked("1001"));

        Decision block = decisions(DecisionKind.BLOCK_ACCOUNT, "1001").get(0);
        assertEquals(Origin.LOCAL, block.origin());
        assertEquals("spend-ids", block.evidence().get("rule"));
        assertEquals("30.000000", block.evidence().get("threshold"));
        assertEquals(2, ((Number) block.evidence().get("calls-cut")).intValue());
        BigDecimal spent = new BigDecimal((String) block.evidence().get("today-spend"));
        assertTrue(spent.compareTo(new BigDecimal("30")) > 0 && spent.compareTo(new BigDecimal("80")) <= 0,
                "tripped in the first seconds over 30 EUR: " + spent);
        List<Decision> hangups = decisions(DecisionKind.HANGUP_CALL, "1001");
        assertEquals(2, hangups.size(), "both live calls hung up: " + hangups);

        Testbed.Result refused = Testbed.call(PHONE_1001, "1001", "09001233333", 200);
        assertNotEquals(0, refused.exit(), "a new call from the blocked account is refused: " + refused.output());
        Wait.until(Duration.ofSeconds(5), () -> decisions(DecisionKind.REFUSE_CALL, "1001").stream()
                .anyMatch(d -> "blocked-account".equals(d.evidence().get("rule"))), "refusal recorded");

        assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        long otherSeconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        assertEquals(0, other.exitValue());
        assertTrue(otherSeconds >= 19, "1002's call ran its full 20 s: " + otherSeconds);

        // the cut calls are stored as Asterisk billed them, and count in today's spend
        CdrRepository cdrs = agent.cdrs();
        for (Decision hangup : hangups) {
            String callId = ((org.tollguard.decision.Target.Call) hangup.target()).callId();
            Wait.until(Duration.ofSeconds(5), () -> cdrs.byId(callId).isPresent(), "stored call " + callId);
            Cdr cdr = cdrs.byId(callId).orElseThrow();
            assertEquals("1001", cdr.account());
            assertEquals("31900", cdr.rate());
            assertTrue(cdr.billableSeconds() <= 15, "billed until cut: " + cdr);
        }
        Wait.until(Duration.ofSeconds(5), () -> agent.spend().status("1001").finished().signum() > 0,
                "finished spend of 1001");
        assertEquals("tripped", agent.spend().status("1001").status());
    }

    @Test
    void callsAreStoredAsAsteriskBilledThemAndImportCdrReadsTheSameFromMasterCsv() throws Exception {
        start();
        assertEquals(0, Testbed.call(PHONE_1002, "1002", "0201234567", 1500).exit());
        assertEquals(0, Testbed.call(PHONE_1002, "1002", "09001234567", 2500).exit());
        CdrRepository cdrs = agent.cdrs();
        // Asterisk may send its Cdr event after the Hangup: the call is stored as we counted it, then corrected
        Wait.until(Duration.ofSeconds(10), () -> billedByAsterisk(cdrs, "09001234567")
                && billedByAsterisk(cdrs, "0201234567"), "both calls stored as Asterisk billed them");
        Cdr premium = stored(cdrs, "09001234567").orElseThrow();
        Cdr fixed = stored(cdrs, "0201234567").orElseThrow();
        assertTrue(premium.billableSeconds() >= 2 && premium.billableSeconds() <= 3, premium.toString());
        assertEquals(new BigDecimal("10.000000").multiply(BigDecimal.valueOf(premium.billableSeconds())).setScale(6),
                premium.cost());

        Wait.until(Duration.ofSeconds(5), () -> {
            try {
                return Files.readString(MASTER_CSV).contains(premium.callId());
            } catch (java.io.IOException e) {
                return false;
            }
        }, "Asterisk wrote the call to Master.csv");
        Path copy = dir.resolve("Master.csv");
        Files.copy(MASTER_CSV, copy);
        try (Store fresh = Store.open(dir.resolve("fresh.db"))) {
            CdrRepository imported = new CdrRepository(fresh);
            CdrImport.Report report = new CdrImport(new MasterCsv(), new NumberClassifier(NumbersConfig.defaults()),
                    new Rater(RateDeck.load(config.ids().rateDeck()), config.ids()), "EUR", imported)
                    .run(copy, ZoneOffset.UTC); // the testbed's cdr.conf has usegmtime=yes
            assertEquals(0, report.badLines(), report.toString());
            for (Cdr live : List.of(premium, fixed)) {
                Cdr fromFile = imported.byId(live.callId()).orElseThrow(() -> new AssertionError(
                        live.callId() + " not imported: " + report));
                assertEquals(live.account(), fromFile.account());
                assertEquals(live.destination(), fromFile.destination());
                assertEquals(live.category(), fromFile.category());
                assertEquals(live.billableSeconds(), fromFile.billableSeconds());
                assertEquals(live.cost(), fromFile.cost());
                assertTrue(Duration.between(fromFile.ended(), live.ended()).abs().toSeconds() <= 2,
                        fromFile.ended() + " vs " + live.ended());
            }
        }
        // and into the agent's own store: everything it recorded live is a duplicate
        CdrImport.Report again = new CdrImport(new MasterCsv(), new NumberClassifier(NumbersConfig.defaults()),
                agent.spend().rates().current(), "EUR", cdrs).run(copy, ZoneOffset.UTC);
        assertTrue(again.duplicates() >= 2, again.toString());
        assertEquals(premium, cdrs.byId(premium.callId()).orElseThrow(), "the live record is kept");
    }

    private static boolean billedByAsterisk(CdrRepository cdrs, String destination) {
        return stored(cdrs, destination).filter(c -> c.origin().equals("cdr")).isPresent();
    }

    private static Optional<Cdr> stored(CdrRepository cdrs, String destination) {
        return cdrs.endedBetween("1002", java.time.Instant.now().minusSeconds(600), java.time.Instant.now().plusSeconds(60))
                .stream().filter(c -> c.destination().equals(destination)).findFirst();
    }


    @Test
    void afterAnOperatorUnblocksTheAccountASecondWaveIsCutToo() throws Exception {
        start();
        Process first = Testbed.startCall(PHONE_1001, "1001", "09001231111", 30_000, 5071);
        Wait.until(Duration.ofSeconds(15), () -> decisions(DecisionKind.BLOCK_ACCOUNT, "1001").size() == 1,
                "the first wave trips the spend IDS");
        assertTrue(first.waitFor(10, TimeUnit.SECONDS), "cut");
        agent.accounts().unblock("1001", "operator", "customer called, it was them");
        Wait.until(Duration.ofSeconds(5), () -> !agent.calls().isBlocked("1001"), "unblocked");
        long t0 = System.nanoTime();
        Process second = Testbed.startCall(PHONE_1001, "1001", "09001232222", 30_000, 5072);
        Wait.until(Duration.ofSeconds(15), () -> decisions(DecisionKind.BLOCK_ACCOUNT, "1001").size() == 2,
                () -> "the second wave trips it again; spend " + agent.spend().status("1001"));
        assertTrue(second.waitFor(10, TimeUnit.SECONDS), "the second wave's call is cut");
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 20, "cut within seconds");
        BigDecimal again = decisions(DecisionKind.BLOCK_ACCOUNT, "1001").stream()
                .map(d -> new BigDecimal((String) d.evidence().get("threshold"))).max(BigDecimal::compareTo).orElseThrow();
        assertTrue(again.compareTo(new BigDecimal("30")) > 0, "re-armed above today's spend, not at 30: " + again);
    }
}
