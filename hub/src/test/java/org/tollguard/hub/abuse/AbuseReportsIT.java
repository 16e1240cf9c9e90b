package org.tollguard.hub.abuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.SMTPServer;
import org.tollguard.hub.config.AbuseReportsConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.listing.Approvals;
import org.tollguard.hub.review.Reporters;
import org.tollguard.hub.support.MutableClock;
import org.tollguard.hub.support.PostgresCluster;
import org.tollguard.hub.support.PostgresExtension;
import org.tollguard.hub.support.RdapServer;
import org.tollguard.hub.support.SelfSignedTls;
import org.tollguard.protocol.Pbx;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.Report;

/**
 * Abuse reports end to end on real parts: PostgreSQL, an RDAP server and an SMTP server (subethasmtp, STARTTLS
 * required, a throwaway certificate) on loopback. Listing goes through {@link Approvals} as every listing does.
 */
class AbuseReportsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RETRY = Duration.ofMinutes(15);

    @RegisterExtension
    final PostgresExtension postgres = new PostgresExtension();
    @TempDir
    static Path dir;
    static SelfSignedTls tls;

    final MutableClock clock = new MutableClock(Instant.now());
    final List<MimeMessage> mails = new CopyOnWriteArrayList<>();
    final List<String> envelopeTo = new CopyOnWriteArrayList<>();
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Database db;
    RdapServer rdap;
    SMTPServer smtp;
    int smtpPort;
    Approvals approvals;
    AbuseReporter reporter;

    @BeforeAll
    static void certificate() throws Exception {
        tls = SelfSignedTls.create(dir);
    }

    @BeforeEach
    void start() throws Exception {
        db = Database.open(postgres.database());
        rdap = new RdapServer();
        rdap.add(new RdapServer.Network("192.0.2.0", "192.0.2.255", "NET-A", "Abuse@Net-A.example", false));
        rdap.add(new RdapServer.Network("198.51.100.0", "198.51.100.255", "NET-B", "abuse@net-b.example", true));
        rdap.add(new RdapServer.Network("203.0.113.0", "203.0.113.255", "NET-C", null, false));
        smtpPort = PostgresCluster.freePort();
        approvals = new Approvals(db, "community", new AbuseOutbox(clock));
        reporter = reporter(true);
        logged.start();
        ((Logger) LoggerFactory.getLogger(AbuseReporter.class)).addAppender(logged);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(AbuseReporter.class)).detachAppender(logged);
        if (smtp != null) {
            smtp.stop();
        }
        rdap.close();
        db.close();
    }

    private AbuseReporter reporter(boolean startTls) throws Exception {
        AbuseReportsConfig config = new AbuseReportsConfig(true, rdap.url(), Duration.ofDays(7), Duration.ofSeconds(5),
                null, RETRY, "Example VoIP community", "community.example",
                new AbuseReportsConfig.Smtp("127.0.0.1", smtpPort, startTls ? AbuseReportsConfig.Smtp.Security.STARTTLS
                        : AbuseReportsConfig.Smtp.Security.NONE, null, null, "abuse-reports@community.example",
                        "abuse-desk@community.example"));
        return new AbuseReporter(db, config, new OptedInEvidence(db, Duration.ofDays(30), clock),
                new AbuseContacts(db, new Rdap(config.rdap(), config.timeout()), config.cacheFor(), clock),
                new AbuseMailer(config.smtp(), config.timeout(), tls.clientTrustingIt()), clock);
    }

    /** An SMTP server on smtpPort that takes mail only after STARTTLS ({@code tls} false: never offers it). */
    private void startSmtp(boolean tlsOffered) {
        SMTPServer.Builder builder = SMTPServer.port(smtpPort).bindAddress(java.net.InetAddress.getLoopbackAddress())
                .hostName("localhost").messageHandler((context, from, to, data) -> {
                    envelopeTo.add(to);
                    try {
                        mails.add(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(data)));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        if (tlsOffered) {
            builder.enableTLS().requireTLS().startTlsSocketFactory(tls.server());
        }
        smtp = builder.build();
        smtp.start();
    }

    @Test
    void oneMailPerContactPerDayWithEveryAddressOfThatContactAndTheCacheSparesLookups() throws Exception {
        startSmtp(true);
        long north = operator("north", true);
        long pbx1 = agent(north, "pbx1");
        long pbx2 = agent(north, "pbx2");
        report(pbx1, "192.0.2.10", "TCP");
        report(pbx2, "192.0.2.10", "UDP");
        report(pbx1, "192.0.2.11", "UDP");
        report(pbx2, "198.51.100.7", "UDP");
        for (String a : List.of("192.0.2.10", "192.0.2.11", "198.51.100.7")) {
            approvals.approve(a, "operator:alice", "sip-bruteforce", null);
        }
        reporter.run();

        assertEquals(2, mails.size(), "one mail per contact");
        assertEquals(List.of("192.0.2.10", "198.51.100.7"), rdap.queries(),
                "192.0.2.11 is in the network RDAP already described: no second lookup");
        MimeMessage a = mailTo("abuse@net-a.example");
        assertXarf(a, List.of("192.0.2.10", "192.0.2.11"));
        JsonNode ten = reportOf(a, "192.0.2.10");
        assertEquals("tcp", ten.get("protocol").asText(), "a TCP ban: the source is not spoofed");
        assertTrue(ten.get("description").asText().contains("against 2 PBXs of 1 operators"), ten.toString());
        assertTrue(text(a).contains("NET-A (192.0.2.0 - 192.0.2.255, NET-A-NET)"), text(a));
        assertXarf(mailTo("abuse@net-b.example"), List.of("198.51.100.7"));

        // the same day: a new address of contact A waits for tomorrow's mail
        report(pbx1, "192.0.2.12", "UDP");
        approvals.approve("192.0.2.12", "rule:test", "sip-bruteforce", null);
        reporter.run();
        assertEquals(2, mails.size(), "contact A had its mail today");
        clock.advance(Duration.ofDays(1));
        reporter.run();
        assertEquals(3, mails.size());
        assertXarf(mails.get(2), List.of("192.0.2.12"));
        assertEquals(List.of("192.0.2.10", "198.51.100.7"), rdap.queries(), "the cached answer served 192.0.2.12");
        reporter.run();
        assertEquals(3, mails.size(), "nothing is reported twice");

        // once the cached answer is older than cache-for, RDAP is asked again
        clock.advance(Duration.ofDays(7));
        report(pbx1, "192.0.2.13", "UDP");
        approvals.approve("192.0.2.13", "operator:alice", "sip-bruteforce", null);
        reporter.run();
        assertEquals(List.of("192.0.2.10", "198.51.100.7", "192.0.2.13"), rdap.queries());
        assertXarf(mails.get(3), List.of("192.0.2.13"));
    }

    @Test
    void aFailingRdapKeepsTheListingLogsLoudlyAndIsTriedAgain() throws Exception {
        startSmtp(true);
        long pbx = agent(operator("north", true), "pbx1");
        report(pbx, "192.0.2.20", "UDP");
        rdap.failWith(503);
        approvals.approve("192.0.2.20", "operator:alice", "sip-bruteforce", null);
        reporter.run();

        assertEquals(List.of(), mails);
        assertTrue(listed("192.0.2.20/32"), "the listing stands");
        assertEquals("pending 1", listingState("192.0.2.20/32"));
        assertTrue(errorLogged("cannot find the abuse contact for 192.0.2.20/32 (attempt 1)"), logged.list.toString());
        reporter.run();
        assertEquals(1, rdap.queries().size(), "not tried again before retry has passed");

        rdap.failWith(0);
        clock.advance(RETRY.plusSeconds(1));
        reporter.run();
        assertEquals(1, mails.size());
        assertXarf(mails.get(0), List.of("192.0.2.20"));
        assertEquals("resolved 1", listingState("192.0.2.20/32"));
    }

    @Test
    void aFailingSmtpServerKeepsTheReportLogsLoudlyAndIsTriedAgain() throws Exception {
        long pbx = agent(operator("north", true), "pbx1");
        report(pbx, "198.51.100.30", "UDP");
        approvals.approve("198.51.100.30", "operator:alice", "sip-bruteforce", null);
        reporter.run(); // nothing listens on the SMTP port yet

        assertTrue(listed("198.51.100.30/32"));
        assertTrue(errorLogged("the mail to abuse@net-b.example was not sent (attempt 1)"), logged.list.toString());
        assertEquals(1, count("SELECT count(*) FROM abuse_send_failure WHERE contact = 'abuse@net-b.example'"));
        assertEquals(0, count("SELECT count(*) FROM abuse_mail"));

        startSmtp(true);
        reporter.run();
        assertEquals(List.of(), mails, "not before retry has passed");
        clock.advance(RETRY.plusSeconds(1));
        reporter.run();
        assertEquals(1, mails.size());
        assertXarf(mails.get(0), List.of("198.51.100.30"));
        assertEquals(0, count("SELECT count(*) FROM abuse_send_failure"));
    }

    @Test
    void aServerWithoutStartTlsGetsNoReport() throws Exception {
        startSmtp(false);
        long pbx = agent(operator("north", true), "pbx1");
        report(pbx, "192.0.2.40", "UDP");
        approvals.approve("192.0.2.40", "operator:alice", "sip-bruteforce", null);
        reporter.run();
        assertEquals(List.of(), mails);
        assertTrue(logged.list.stream().anyMatch(e -> e.getLevel() == Level.ERROR
                && e.getFormattedMessage().contains("STARTTLS")), logged.list.toString());
    }

    @Test
    void onlyTheEvidenceOfOperatorsWhoOptedInIsSentAndTheOthersAddressesAreNotReported() throws Exception {
        startSmtp(true);
        long north = agent(operator("north", false), "pbx-north");
        long south = agent(operator("south", false), "pbx-south");
        new Reporters(db).abuseReports("north", true, "admin:test");
        report(north, "192.0.2.50", "UDP");
        report(south, "192.0.2.50", "UDP"); // south's evidence of the same address stays with the hub
        report(south, "198.51.100.50", "UDP"); // reported by south only
        approvals.approve("192.0.2.50", "operator:alice", "sip-bruteforce", null);
        approvals.approve("198.51.100.50", "operator:alice", "sip-bruteforce", null);
        reporter.run();

        assertEquals(1, mails.size());
        assertEquals(List.of("abuse@net-a.example"), envelopeTo);
        assertEquals(List.of("192.0.2.50"), rdap.queries(), "nothing is looked up for south's address");
        assertEquals("skipped 0", listingState("198.51.100.50/32"));
        JsonNode report = reportOf(mails.get(0), "192.0.2.50");
        assertTrue(report.get("description").asText().contains("against 1 PBXs of 1 operators"), report.toString());
        String csv = new String(Base64.getDecoder().decode(report.at("/evidence/0/payload").asText()), StandardCharsets.UTF_8);
        assertEquals(2, csv.split("\r\n").length, "a header and north's one ban: " + csv);

        // opting out later: nothing more of north's is sent
        new Reporters(db).abuseReports("north", false, "admin:test");
        report(north, "192.0.2.51", "UDP");
        approvals.approve("192.0.2.51", "operator:alice", "sip-bruteforce", null);
        clock.advance(Duration.ofDays(1));
        reporter.run();
        assertEquals(1, mails.size());
        assertEquals("skipped 0", listingState("192.0.2.51/32"));
    }

    @Test
    void aNetworkWithoutAbuseContactIsNotedAndNothingIsSent() throws Exception {
        startSmtp(true);
        long pbx = agent(operator("north", true), "pbx1");
        report(pbx, "203.0.113.9", "UDP");
        approvals.approve("203.0.113.9", "operator:alice", "sip-bruteforce", null);
        reporter.run();
        assertEquals(List.of(), mails);
        assertEquals("skipped 0", listingState("203.0.113.9/32"));
    }

    // --- the mail -------------------------------------------------------------------------------------------

    private MimeMessage mailTo(String contact) throws Exception {
        for (int i = 0; i < mails.size(); i++) {
            if (envelopeTo.get(i).equals(contact)) {
                return mails.get(i);
            }
        }
        throw new AssertionError("no mail to " + contact + "; mails to " + envelopeTo);
    }

    /** multipart/mixed: text for people, one valid X-ARF v4 login_attack JSON per address, the evidence CSV. */
    private void assertXarf(MimeMessage mail, List<String> addresses) throws Exception {
        assertTrue(mail.getContentType().startsWith("multipart/mixed"), mail.getContentType());
        assertEquals("PLAIN", mail.getHeader("X-XARF", null));
        assertEquals("Example VoIP community <abuse-reports@community.example>", mail.getHeader("From", null));
        assertTrue(mail.getSubject().contains(addresses.size() + (addresses.size() == 1 ? " address" : " addresses")),
                mail.getSubject());
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertEquals(addresses.size() + 2, parts.getCount());
        String text = text(mail);
        List<String> reported = new ArrayList<>();
        for (int i = 1; i <= addresses.size(); i++) {
            BodyPart part = parts.getBodyPart(i);
            assertTrue(part.getContentType().startsWith("application/json"), part.getContentType());
            JsonNode r = JSON.readTree(part.getInputStream());
            for (String required : List.of("xarf_version", "report_id", "timestamp", "reporter", "sender",
                    "source_identifier", "category", "type", "protocol", "first_seen")) {
                assertTrue(r.hasNonNull(required), required + " missing: " + r);
            }
            assertEquals("4.0.0", r.get("xarf_version").asText());
            UUID.fromString(r.get("report_id").asText());
            assertEquals("connection", r.get("category").asText());
            assertEquals("login_attack", r.get("type").asText());
            assertEquals(Map.of("org", "Example VoIP community", "contact", "abuse-desk@community.example",
                    "domain", "community.example"), JSON.convertValue(r.get("reporter"), Map.class));
            Instant.parse(r.get("first_seen").asText());
            byte[] csv = Base64.getDecoder().decode(r.at("/evidence/0/payload").asText());
            assertEquals("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(csv)),
                    r.at("/evidence/0/hash").asText());
            assertEquals("text/csv", r.at("/evidence/0/content_type").asText());
            String address = r.get("source_identifier").asText();
            assertTrue(new String(csv, StandardCharsets.UTF_8).contains("\r\n" + address + ","));
            assertTrue(text.contains(address), text);
            reported.add(address);
        }
        assertEquals(addresses, reported);
        BodyPart evidence = parts.getBodyPart(addresses.size() + 1);
        assertTrue(evidence.getContentType().startsWith("text/csv"), evidence.getContentType());
        String csv = new String(evidence.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        for (String address : addresses) {
            assertTrue(csv.contains("\r\n" + address + ","), csv);
        }
        assertFalse(csv.contains("pbx"), "no reporter is named: " + csv);
    }

    private static String text(MimeMessage mail) throws Exception {
        BodyPart part = ((MimeMultipart) mail.getContent()).getBodyPart(0);
        assertTrue(part.getContentType().startsWith("text/plain"), part.getContentType());
        return (String) part.getContent();
    }

    private static JsonNode reportOf(MimeMessage mail, String address) throws Exception {
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        for (int i = 1; i < parts.getCount() - 1; i++) {
            JsonNode r = JSON.readTree(parts.getBodyPart(i).getInputStream());
            if (r.get("source_identifier").asText().equals(address)) {
                return r;
            }
        }
        throw new AssertionError("no report for " + address);
    }

    private boolean errorLogged(String text) {
        return logged.list.stream().anyMatch(e -> e.getLevel() == Level.ERROR && e.getFormattedMessage().contains(text));
    }

    // --- the database -----------------------------------------------------------------------------------------

    private long operator(String name, boolean optIn) throws Exception {
        return insert("INSERT INTO operator (name, abuse_reports) VALUES ('" + name + "', " + optIn + ") RETURNING id");
    }

    /** A site of the operator with one enrolled agent; returns the agent's id. */
    private long agent(long operator, String site) throws Exception {
        long siteId = insert("INSERT INTO site (operator_id, name) VALUES (" + operator + ", '" + site + "') RETURNING id");
        return insert("INSERT INTO agent (site_id, credential_hash, rate_tokens) VALUES (" + siteId
                + ", decode(md5(random()::text), 'hex'), 10) RETURNING id");
    }

    private void report(long agent, String address, String transport) throws Exception {
        Instant now = Instant.now();
        Report r = new Report(UUID.randomUUID().toString(), address, now.minusSeconds(40), now.minusSeconds(10), now,
                now.plus(Duration.ofHours(1)), "fast: 5 failures within 1m", Map.of("ChallengeResponseFailed", 5),
                List.of("100", "admin"), 2, List.of("friendly-scanner"), "PJSIP", transport,
                new Pbx("asterisk", "22.5.0"), "0.1.0");
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO report (agent_id, site_id, report_id, address, "
                     + "banned_at, evidence) SELECT ?, site_id, ?, ?::inet, ?, ?::jsonb FROM agent WHERE id = ?")) {
            s.setLong(1, agent);
            s.setString(2, r.id());
            s.setString(3, address);
            s.setTimestamp(4, java.sql.Timestamp.from(now));
            s.setString(5, ProtocolJson.mapper().writeValueAsString(r));
            s.setLong(6, agent);
            assertEquals(1, s.executeUpdate());
        }
    }

    private long insert(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql);
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private long count(String sql) throws Exception {
        return insert(sql);
    }

    private boolean listed(String network) throws Exception {
        return count("SELECT count(*) FROM listed WHERE network = '" + network + "'") == 1;
    }

    private String listingState(String network) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT state, attempts FROM abuse_listing WHERE network = ?::cidr")) {
            s.setString(1, network);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "no abuse_listing for " + network);
                return r.getString(1) + " " + r.getInt(2);
            }
        }
    }
}
