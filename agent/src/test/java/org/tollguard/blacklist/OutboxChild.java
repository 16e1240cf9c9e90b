package org.tollguard.blacklist;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tollguard.config.BlacklistConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.Target;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Decisions;
import org.tollguard.decision.Origin;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.ReportOutboxRepository;
import org.tollguard.store.Store;

/**
 * The agent's reporting path in a JVM of its own, so that a test can kill it with SIGKILL mid-batch:
 * {@code OutboxChild DB HUB_URL BANS} stores BANS local bans (through the real decision pipeline) and reports them.
 */
public final class OutboxChild {
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        String hub = args[1];
        int bans = Integer.parseInt(args[2]);
        Store store = Store.open(db);
        DecisionRepository repository = new DecisionRepository(store);
        Decisions decisions = new Decisions(repository, Clock.systemUTC());
        ReportOutbox outbox = new ReportOutbox(new BlacklistConfig.Reporting(true, true, 5,
                Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(400)),
                ReportOutboxTest.enrolled(db.getParent(), hub, "child-credential"),
                new ReportOutboxRepository(store), repository, () -> new org.tollguard.protocol.Pbx("asterisk", "22.5.0"),
                Clock.systemUTC());
        decisions.addListener(outbox);
        outbox.start();
        for (int i = 1; i <= bans; i++) {
            decisions.take(ban("203.0.113." + (100 + i)));
        }
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }

    static Decision ban(String address) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("rule", "fast: 5 failures within 1m");
        evidence.put("counts", Map.of("wrong-password", 5));
        evidence.put("accounts", List.of("100", "admin"));
        evidence.put("first-seen", "2026-01-01T00:00:00Z");
        evidence.put("last-seen", "2026-01-01T00:00:30Z");
        evidence.put("service", "PJSIP");
        evidence.put("transport", "UDP");
        evidence.put("user-agent", "friendly-scanner");
        return Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse(address), "fast: 5 failures within 1m", evidence, Origin.LOCAL,
                Instant.now(), Duration.ofHours(1));
    }
}
