package org.tollguard.metrics;

import org.tollguard.support.Ports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.ban.BanEngine;
import org.tollguard.ban.NeverBan;
import org.tollguard.calls.CallEngine;
import org.tollguard.config.BanConfig;
import org.tollguard.config.CallsConfig;
import org.tollguard.config.MetricsConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Decisions;
import org.tollguard.decision.Origin;
import org.tollguard.decision.Target;
import org.tollguard.net.IpAddresses;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.numbers.NumbersConfig;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.AuthKind;
import org.tollguard.pbx.AuthOutcome;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.PbxConnection;
import org.tollguard.pbx.PbxConnectionListener;
import org.tollguard.pbx.PbxEventFanOut;
import org.tollguard.pbx.PbxEventListener;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.Store;
import org.tollguard.store.TrustRepository;

/** The real exporter, scraped over HTTP, after real engines have worked. */
class MetricsTest {
    @TempDir
    Path dir;
    final Clock clock = Clock.systemUTC();
    Store store;
    DecisionRepository repository;
    Decisions decisions;
    Metrics metrics;
    BanEngine banEngine;
    CallEngine callEngine;

    @BeforeEach
    void start() throws IOException {
        store = Store.open(dir.resolve("t.db"));
        repository = new DecisionRepository(store);
        decisions = new Decisions(repository, clock);
        metrics = new Metrics(clock).serve(new MetricsConfig(true, "127.0.0.1", Ports.freePort()));
        decisions.addListener(metrics);
        decisions.addEnforcementListener(metrics);
        metrics.activeBans(() -> decisions.activeCounts(DecisionKind.BAN_ADDRESS));
        metrics.failingEnforcement(decisions::failedCounts);
        metrics.blockedAccounts(() -> decisions.activeCounts(DecisionKind.BLOCK_ACCOUNT).values()
                .stream().mapToLong(Integer::longValue).sum());
        banEngine = new BanEngine(BanConfig.defaults(), clock, decisions, new NeverBan(List.of()),
                new TrustRepository(store));
        metrics.banEngine(banEngine::processedEvents, banEngine::droppedEvents);
        callEngine = new CallEngine(CallsConfig.builtIn(), new NumberClassifier(NumbersConfig.defaults()), clock,
                decisions, Set.of());
        metrics.liveCalls(() -> callEngine.calls().size());
    }

    @AfterEach
    void stop() {
        metrics.close();
        banEngine.close();
        callEngine.close();
        store.close();
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
        return r.body();
    }

    /** The value of the sample line {@code name{labels}}; fails if there is none. */
    private static double value(String text, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), "no sample " + sample + " in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    private static final class FakePbx implements PbxConnection {
        volatile boolean up;

        @Override
        public String name() {
            return "asterisk 127.0.0.1:5038";
        }

        @Override
        public boolean isConnected() {
            return up;
        }

        @Override
        public Instant stateSince() {
            return Instant.parse("2026-11-22T10:00:00Z");
        }

        @Override
        public void addConnectionListener(PbxConnectionListener l) {}
    }

    @Test
    void theExporterShowsWhatTheEnginesDid() throws Exception {
        PbxEventListener adapter = new PbxEventFanOut(List.of(metrics, banEngine, callEngine));
        // a cracker: five wrong passwords from one address is a ban (the default fast window)
        for (int i = 0; i < 5; i++) {
            adapter.onEvent(new AuthEvent(AuthOutcome.FAILED, "ChallengeResponseFailed", AuthKind.WRONG_PASSWORD, IpAddresses.parse("203.0.113.66"),
                    5060, "UDP", "PJSIP", "100", "", "", null, clock.instant()));
        }
        adapter.onEvent(new AuthEvent(AuthOutcome.SUCCEEDED, "SuccessfulAuth", AuthKind.AUTHENTICATED, IpAddresses.parse("198.51.100.20"),
                5060, "UDP", "PJSIP", "200", "", "", null, clock.instant()));
        adapter.onEvent(new CallStarted("c1", "200", "200", "0201234567", IpAddresses.parse("198.51.100.20"), clock.instant()));
        adapter.onEvent(new CallStarted("c2", "200", "200", "0612345678", IpAddresses.parse("198.51.100.20"), clock.instant()));
        banEngine.drain();
        callEngine.drain();
        // an operator's ban and an account block
        decisions.take(Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse("198.51.100.99"), "by hand", Map.of(), Origin.OPERATOR,
                clock.instant(), Duration.ofHours(2)));
        decisions.take(Decision.of(DecisionKind.BLOCK_ACCOUNT, new Target.Account("300"), "spend", Map.of(), Origin.LOCAL, clock.instant(), null));
        FakePbx pbx = new FakePbx();
        pbx.up = true;
        metrics.pbx(pbx);

        String text = scrape();
        assertEquals(5, value(text, "tollguard_pbx_events_total{event=\"auth-failed\"}"));
        assertEquals(1, value(text, "tollguard_pbx_events_total{event=\"auth-succeeded\"}"));
        assertEquals(2, value(text, "tollguard_pbx_events_total{event=\"call-started\"}"));
        assertEquals(0, value(text, "tollguard_pbx_events_total{event=\"call-ended\"}"));
        assertEquals(6, value(text, "tollguard_ban_engine_events_processed_total"));
        assertEquals(0, value(text, "tollguard_ban_engine_events_dropped_total"));
        assertEquals(1, value(text, "tollguard_decisions_total{kind=\"ban-address\",origin=\"local\"}"));
        assertEquals(1, value(text, "tollguard_decisions_total{kind=\"ban-address\",origin=\"operator\"}"));
        assertEquals(1, value(text, "tollguard_decisions_total{kind=\"block-account\",origin=\"local\"}"));
        assertEquals(0, value(text, "tollguard_decisions_total{kind=\"hangup-call\",origin=\"local\"}"));
        assertEquals(1, value(text, "tollguard_bans_total{origin=\"local\"}"));
        assertEquals(1, value(text, "tollguard_bans_total{origin=\"operator\"}"));
        assertEquals(0, value(text, "tollguard_bans_total{origin=\"community\"}"));
        assertEquals(1, value(text, "tollguard_bans_active{origin=\"local\"}"));
        assertEquals(1, value(text, "tollguard_bans_active{origin=\"operator\"}"));
        assertEquals(0, value(text, "tollguard_bans_active{origin=\"community\"}"));
        assertEquals(1, value(text, "tollguard_blocked_accounts"));
        assertEquals(2, value(text, "tollguard_live_calls"));
        assertEquals(1, value(text, "tollguard_pbx_up{pbx=\"asterisk 127.0.0.1:5038\"}"));
        assertEquals(Instant.parse("2026-11-22T10:00:00Z").getEpochSecond(),
                value(text, "tollguard_pbx_state_change_timestamp_seconds{pbx=\"asterisk 127.0.0.1:5038\"}"));

        // the local ban's latency: one observation, from the fifth failure to the firewall, well under a second
        assertEquals(1, value(text, "tollguard_ban_latency_seconds_count"));
        double seconds = value(text, "tollguard_ban_latency_seconds_sum");
        assertTrue(seconds >= 0 && seconds < 1, "latency " + seconds);
        assertEquals(1, value(text, "tollguard_ban_latency_seconds_bucket{le=\"1.0\"}"));
        assertEquals(1, value(text, "tollguard_ban_latency_seconds_bucket{le=\"+Inf\"}"));
        assertTrue(text.contains("# TYPE tollguard_ban_latency_seconds histogram"));

        // no community module, no outbox: those metrics are absent until a module reports
        assertTrue(!text.contains("tollguard_community_list_size"), text);
        assertTrue(!text.contains("tollguard_outbox_depth"), text);

        pbx.up = false;
        assertEquals(0, value(scrape(), "tollguard_pbx_up{pbx=\"asterisk 127.0.0.1:5038\"}"));
    }

    @Test
    void theCommunityModuleReportsSyncsAndItsOutbox() throws Exception {
        metrics.syncSource("apiban");
        metrics.syncCompleted("voipbl", Duration.ofMillis(2500), 120_000);
        metrics.syncFailed("voipbl", Duration.ofSeconds(30), "HTTP 502");
        metrics.outboxDepth(() -> 7);

        String text = scrape();
        assertEquals(120_000, value(text, "tollguard_community_list_size{source=\"voipbl\"}"));
        assertEquals(2, value(text, "tollguard_community_sync_duration_seconds_count{source=\"voipbl\"}"));
        assertEquals(32.5, value(text, "tollguard_community_sync_duration_seconds_sum{source=\"voipbl\"}"));
        assertEquals(1, value(text, "tollguard_community_sync_duration_seconds_bucket{source=\"voipbl\",le=\"5.0\"}"));
        assertEquals(1, value(text, "tollguard_community_sync_failures_total{source=\"voipbl\"}"));
        assertTrue(value(text, "tollguard_community_sync_last_success_timestamp_seconds{source=\"voipbl\"}") > 1.7e9);
        assertEquals(7, value(text, "tollguard_outbox_depth"));

        List<Metrics.SyncState> syncs = metrics.syncs();
        assertEquals(List.of("apiban", "voipbl"), syncs.stream().map(Metrics.SyncState::source).toList());
        assertEquals(-1, syncs.get(0).size());
        assertEquals(120_000, syncs.get(1).size());
        assertEquals("HTTP 502", syncs.get(1).lastError());
        assertEquals(7L, metrics.outboxDepth());
    }

    @Test
    void thePortIsLoopbackOnlyAndABusyPortFailsWithTheReason() throws Exception {
        int port = metrics.port();
        IOException e = assertThrows(IOException.class,
                () -> new Metrics(clock).serve(new MetricsConfig(true, "127.0.0.1", port)));
        assertTrue(e.getMessage().toLowerCase().contains("address already in use"), e.getMessage());
        try (java.net.Socket s = new java.net.Socket()) {
            java.net.InetAddress other = java.net.NetworkInterface.networkInterfaces()
                    .flatMap(java.net.NetworkInterface::inetAddresses)
                    .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).findFirst().orElse(null);
            if (other != null) {
                assertThrows(IOException.class, () -> s.connect(new java.net.InetSocketAddress(other, port), 500),
                        "not reachable on " + other);
            }
        }
        Metrics off = new Metrics(clock).serve(new MetricsConfig(false, null, null));
        assertEquals(-1, off.port());
        off.close();
    }
}
