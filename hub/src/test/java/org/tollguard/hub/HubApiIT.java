package org.tollguard.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.hub.config.AutoApproveConfig;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.config.IntakeConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.enroll.Enrollment;
import org.tollguard.hub.support.HubClient;
import org.tollguard.hub.support.PostgresCluster;
import org.tollguard.hub.support.PostgresExtension;
import org.tollguard.hub.support.TestHubs;
import org.tollguard.protocol.EnrollRequest;
import org.tollguard.protocol.EnrollResponse;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.Pbx;
import org.tollguard.protocol.Report;
import org.tollguard.protocol.ReportAck;
import org.tollguard.protocol.ReportBatch;

/** Enrollment and report intake of a real hub over real HTTP, on a real PostgreSQL. */
class HubApiIT {
    @RegisterExtension
    final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    Path dir;

    private Hub hub;
    private HubClient client;
    private HubConfig config;

    @BeforeEach
    void start() throws Exception {
        TestHubs.writeKey(dir);
        config = TestHubs.config(postgres.database(), dir, PostgresCluster.freePort(),
                new IntakeConfig(65536, 50, 5.0, 60, null), new AutoApproveConfig(true, 3, Duration.ofHours(1), Duration.ofDays(7)));
        hub = Hub.start(config, Clock.systemUTC());
        client = new HubClient(hub.port());
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    private String token(String site) throws Exception {
        try (Database db = Database.open(config.database())) {
            return new Enrollment(db, 60).createToken(site, site + "-operator", "operator:test",
                    Instant.now().plus(Duration.ofHours(1)));
        }
    }

    private String enroll(String site) throws Exception {
        HttpResponse<byte[]> answer = client.postJson(HubPaths.ENROLL, null,
                new EnrollRequest(1, token(site), "pbx." + site, "0.1.0"));
        assertEquals(200, answer.statusCode(), HubClient.text(answer));
        EnrollResponse enrolled = HubClient.read(answer, EnrollResponse.class);
        assertEquals(site, enrolled.site());
        assertEquals("community", enrolled.list());
        assertEquals(1, enrolled.publicKeys().size());
        return enrolled.credential();
    }

    static Report report(String id, String address) {
        Instant t = Instant.parse("2026-05-01T11:59:31Z");
        return new Report(id, address, t.minusSeconds(30), t, t, t.plusSeconds(3600), "fast: 5 failures within 1m",
                Map.of("InvalidPassword", 5), List.of("100"), 1, List.of("friendly-scanner"), "PJSIP", "UDP",
                new Pbx("asterisk", "22.5.0"), "0.1.0");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(config.database().url(), "postgres", "");
             Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void enrollmentTokenIsUsedOnceAndTheCredentialIsStoredHashed() throws Exception {
        String token = token("acme");
        HttpResponse<byte[]> first = client.postJson(HubPaths.ENROLL, null, new EnrollRequest(1, token, "pbx", "0.1.0"));
        assertEquals(200, first.statusCode(), HubClient.text(first));
        String credential = HubClient.read(first, EnrollResponse.class).credential();
        assertTrue(credential.startsWith("tga_"));

        HttpResponse<byte[]> again = client.postJson(HubPaths.ENROLL, null, new EnrollRequest(1, token, "pbx", "0.1.0"));
        assertEquals(403, again.statusCode());
        assertTrue(HubClient.text(again).contains("used already"), HubClient.text(again));

        HttpResponse<byte[]> unknown = client.postJson(HubPaths.ENROLL, null,
                new EnrollRequest(1, "tge_nonsense", "pbx", "0.1.0"));
        assertEquals(403, unknown.statusCode());
        assertTrue(HubClient.text(unknown).contains("unknown enrollment token"));

        assertEquals(0, count("select count(*) from agent where encode(credential_hash, 'escape') like '%tga_%'"));
        assertEquals(1, count("select count(*) from agent"));
    }

    @Test
    void aBatchIsStoredOnceWithItsReporterAndARetryIsCountedOnce() throws Exception {
        String credential = enroll("acme");
        List<Report> reports = List.of(report("r1", "203.0.113.66"), report("r2", "2001:db8::66"),
                report("r3", "10.0.0.5"), report("bad id with spaces", "203.0.113.67"), report("r5", "not-an-address"));
        HttpResponse<byte[]> first = client.postJson(HubPaths.REPORTS, credential, ReportBatch.of(reports));
        assertEquals(200, first.statusCode(), HubClient.text(first));
        ReportAck ack = HubClient.read(first, ReportAck.class);
        assertEquals(2, ack.accepted());
        assertEquals(0, ack.duplicates());
        assertEquals(3, ack.rejected().size(), ack.toString());
        assertTrue(ack.rejected().get(0).reason().contains("not a public address"), ack.toString());
        assertTrue(ack.rejected().get(2).reason().contains("not an IPv4 or IPv6 address"), ack.toString());

        // the answer was lost: the agent sends the same batch again
        ReportAck retry = HubClient.read(client.postJson(HubPaths.REPORTS, credential, ReportBatch.of(reports)),
                ReportAck.class);
        assertEquals(0, retry.accepted());
        assertEquals(2, retry.duplicates());
        assertEquals(2, count("select count(*) from report"));
        assertEquals(1, count("select count(*) from report r join site s on s.id = r.site_id where s.name = 'acme' "
                + "and r.report_id = 'r1' and r.evidence->>'reason' = 'fast: 5 failures within 1m' "
                + "and r.evidence->'counts'->>'InvalidPassword' = '5'"));

        // another agent may use the same report ids: they are its own reports
        String other = enroll("globex");
        ReportAck theirs = HubClient.read(client.postJson(HubPaths.REPORTS, other,
                ReportBatch.of(List.of(report("r1", "203.0.113.66")))), ReportAck.class);
        assertEquals(1, theirs.accepted());
    }

    @Test
    void aReportThatCannotBeReadIsRejectedAloneAndUnknownFieldsAreKeptAsEvidence() throws Exception {
        String credential = enroll("acme");
        String body = "{\"protocol\": 1, \"reports\": ["
                + "{\"id\": \"ok\", \"address\": \"203.0.113.5\", \"banned-at\": \"2026-05-01T11:59:31Z\", \"new-field\": 7},"
                + "{\"id\": \"bad-time\", \"address\": \"203.0.113.6\", \"banned-at\": \"yesterday\"},"
                + "{\"id\": \"nul\", \"address\": \"203.0.113.7\", \"banned-at\": \"2026-05-01T11:59:31Z\", \"reason\": \"a\\u0000b\"},"
                + "{\"id\": \"no-ban-time\", \"address\": \"203.0.113.8\"}]}";
        HttpResponse<byte[]> answer = client.post(HubPaths.REPORTS, credential, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, answer.statusCode(), HubClient.text(answer));
        ReportAck ack = HubClient.read(answer, ReportAck.class);
        assertEquals(1, ack.accepted());
        assertEquals(List.of("bad-time", "nul", "no-ban-time"), ack.rejected().stream().map(ReportAck.Rejection::id).toList());
        assertTrue(ack.rejected().get(0).reason().startsWith("not a report"), ack.toString());
        assertTrue(ack.rejected().get(1).reason().contains("NUL"), ack.toString());
        assertTrue(ack.rejected().get(2).reason().contains("banned-at"), ack.toString());
        assertEquals(1, count("select count(*) from report where evidence->>'new-field' = '7'"));
    }

    @Test
    void refusedRequestsNameTheProblemAndStoreNothing() throws Exception {
        String credential = enroll("acme");
        assertEquals(200, client.postJson(HubPaths.REPORTS, credential,
                ReportBatch.of(List.of(report("keep", "203.0.113.1")))).statusCode());

        HttpResponse<byte[]> noAuth = client.postJson(HubPaths.REPORTS, null, ReportBatch.of(List.of(report("x", "203.0.113.2"))));
        assertEquals(401, noAuth.statusCode());
        HttpResponse<byte[]> wrongAuth = client.postJson(HubPaths.REPORTS, "tga_forged",
                ReportBatch.of(List.of(report("x", "203.0.113.2"))));
        assertEquals(401, wrongAuth.statusCode());
        assertTrue(HubClient.text(wrongAuth).contains("\"error\""));

        HttpResponse<byte[]> malformed = client.post(HubPaths.REPORTS, credential,
                "{\"protocol\": 1, \"reports\": [{\"id\": \"y\",".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, malformed.statusCode());
        assertTrue(HubClient.text(malformed).contains("not a report batch"), HubClient.text(malformed));

        HttpResponse<byte[]> otherProtocol = client.post(HubPaths.REPORTS, credential,
                "{\"protocol\": 2, \"reports\": []}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, otherProtocol.statusCode());
        assertTrue(HubClient.text(otherProtocol).contains("protocol 2"));

        List<Report> tooMany = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            tooMany.add(report("many-" + i, "203.0.113.3"));
        }
        HttpResponse<byte[]> batchTooLarge = client.postJson(HubPaths.REPORTS, credential, ReportBatch.of(tooMany));
        assertTrue(batchTooLarge.statusCode() == 400 || batchTooLarge.statusCode() == 413, HubClient.text(batchTooLarge));

        byte[] huge = ("{\"protocol\": 1, \"reports\": [], \"padding\": \"" + "x".repeat(70_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> oversize = client.post(HubPaths.REPORTS, credential, huge);
        assertEquals(413, oversize.statusCode());
        assertTrue(HubClient.text(oversize).contains("65536"), HubClient.text(oversize));

        assertEquals(1, count("select count(*) from report"));
    }

    @Test
    void anAgentOverItsRateIsToldWhenToComeBackAndNothingOfTheBatchIsStored() throws Exception {
        String credential = enroll("acme");
        // burst 60, 5 reports/s: 40 + 20 fit, the next 40 do not
        for (int round = 0; round < 2; round++) {
            List<Report> batch = new ArrayList<>();
            for (int i = 0; i < (round == 0 ? 40 : 20); i++) {
                batch.add(report("b" + round + "-" + i, "203.0.113." + (i + 1)));
            }
            assertEquals(200, client.postJson(HubPaths.REPORTS, credential, ReportBatch.of(batch)).statusCode());
        }
        List<Report> over = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            over.add(report("over-" + i, "198.51.100." + (i + 1)));
        }
        HttpResponse<byte[]> limited = client.postJson(HubPaths.REPORTS, credential, ReportBatch.of(over));
        assertEquals(429, limited.statusCode(), HubClient.text(limited));
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 9, "Retry-After " + retryAfter);
        assertEquals(0, count("select count(*) from report where report_id like 'over-%'"));
    }

    @Test
    void anAddressReportedByThreeSitesIsApprovedByTheRuleAndRecordedAsSuch() throws Exception {
        for (String site : List.of("acme", "globex", "initech")) {
            String credential = enroll(site);
            assertEquals(0, count("select count(*) from listed"), "listed before the third site reported");
            assertEquals(200, client.postJson(HubPaths.REPORTS, credential,
                    ReportBatch.of(List.of(report(site + "-1", "203.0.113.99")))).statusCode());
        }
        assertEquals(1, count("select count(*) from listed where network = '203.0.113.99/32' "
                + "and approved_by = 'rule:auto-approve(3 sites within 1h)'"));
        assertEquals(1, count("select count(*) from approval where approved_by like 'rule:%'"));
        assertEquals(1, count("select count(*) from list_change where op = 'add'"));
    }

    @Test
    void heartbeatRecordsWhenTheAgentWasLastSeen() throws Exception {
        String credential = enroll("acme");
        HttpResponse<byte[]> beat = client.post(HubPaths.HEARTBEAT, credential,
                "{\"protocol\": 1, \"agent-version\": \"0.1.1\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(204, beat.statusCode());
        assertEquals(1, count("select count(*) from agent where last_seen_at is not null and agent_version = '0.1.1'"));
    }
}
