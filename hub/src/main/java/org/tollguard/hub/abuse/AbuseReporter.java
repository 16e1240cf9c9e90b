package org.tollguard.hub.abuse;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.hub.config.AbuseReportsConfig;
import org.tollguard.hub.db.Database;

/**
 * The abuse-report job, run in the hub's background loop: first the abuse contact of each address of each newly
 * listed network ({@link AbuseContacts}), then one X-ARF mail per contact per day (UTC) with every address not yet
 * reported to it. A failed lookup or mail is logged as an error and tried again after {@code retry}; the listing
 * itself was committed long before and stays. Several hub instances may run it at once: rows are claimed, and a
 * contact's mail is sent under a PostgreSQL advisory lock, so a day's mail goes out once.
 */
public final class AbuseReporter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AbuseReporter.class);
    /** How long a claimed listing is left to the instance that claimed it before another may take it. */
    private static final Duration CLAIM = Duration.ofMinutes(5);

    private final Database db;
    private final AbuseReportsConfig config;
    private final OptedInEvidence evidence;
    private final AbuseContacts contacts;
    private final AbuseMailer mailer;
    private final XarfMail mails;
    private final Clock clock;

    public AbuseReporter(Database db, AbuseReportsConfig config, OptedInEvidence evidence, AbuseContacts contacts,
                         AbuseMailer mailer, Clock clock) {
        this.db = db;
        this.config = config;
        this.evidence = evidence;
        this.contacts = contacts;
        this.mailer = mailer;
        this.mails = new XarfMail(config);
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            resolveListings();
            sendMails();
            forgetOldContacts();
        } catch (Exception e) {
            log.error("abuse reports: the job failed; trying again at the next run", e);
        }
    }

    private record Pending(long id, String network, int attempts) {}

    /** Each due listing: its addresses with opted-in evidence, each with its abuse contact. */
    void resolveListings() throws SQLException {
        for (Pending p : claimDue()) {
            try {
                List<AddressEvidence> addresses = evidence.of(p.network);
                if (addresses.isEmpty()) {
                    finish(p, "skipped", "no report from an operator who opted in to abuse reports");
                    log.info("abuse reports: {} not reported: no report from an operator who opted in", p.network);
                    continue;
                }
                List<String> noContact = new ArrayList<>();
                db.transaction(c -> {
                    for (AddressEvidence a : addresses) {
                        AbuseContact contact = contacts.of(a.address());
                        if (contact.email() == null) {
                            noContact.add(a.address() + " " + contact.network());
                            continue;
                        }
                        try (PreparedStatement s = c.prepareStatement("INSERT INTO abuse_item (listing_id, address, "
                                + "contact, network) VALUES (?, ?::inet, ?, ?) ON CONFLICT DO NOTHING")) {
                            s.setLong(1, p.id);
                            s.setString(2, a.address());
                            s.setString(3, contact.email().toLowerCase(Locale.ROOT));
                            s.setString(4, contact.network());
                            s.executeUpdate();
                        }
                    }
                    return null;
                });
                if (noContact.size() == addresses.size()) {
                    finish(p, "skipped", "RDAP names no abuse contact: " + String.join("; ", noContact));
                    log.warn("abuse reports: {} not reported: RDAP names no abuse contact for {}", p.network, noContact);
                } else {
                    finish(p, "resolved", noContact.isEmpty() ? null : "no abuse contact: " + String.join("; ", noContact));
                }
            } catch (IOException | SQLException | RuntimeException e) {
                Instant next = clock.instant().plus(config.retry());
                failed(p, e.getMessage(), next);
                log.error("abuse reports: cannot find the abuse contact for {} (attempt {}); the listing stands, "
                        + "trying again at {}: {}", p.network, p.attempts + 1, next, e.getMessage());
            }
        }
    }

    private List<Pending> claimDue() throws SQLException {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE abuse_listing SET next_attempt = ? WHERE id IN ("
                    + "SELECT id FROM abuse_listing WHERE state = 'pending' AND next_attempt <= ? ORDER BY id "
                    + "LIMIT 100 FOR UPDATE SKIP LOCKED) RETURNING id, network::text, attempts")) {
                Instant now = clock.instant();
                s.setTimestamp(1, Timestamp.from(now.plus(CLAIM)));
                s.setTimestamp(2, Timestamp.from(now));
                List<Pending> due = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        due.add(new Pending(r.getLong(1), r.getString(2), r.getInt(3)));
                    }
                }
                return due;
            }
        });
    }

    private void finish(Pending p, String state, String note) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE abuse_listing SET state = ?, last_error = ? WHERE id = ?")) {
            s.setString(1, state);
            s.setString(2, note);
            s.setLong(3, p.id);
            s.executeUpdate();
        }
    }

    private void failed(Pending p, String error, Instant next) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE abuse_listing SET attempts = attempts + 1, "
                     + "next_attempt = ?, last_error = ? WHERE id = ?")) {
            s.setTimestamp(1, Timestamp.from(next));
            s.setString(2, error == null ? "unknown error" : error);
            s.setLong(3, p.id);
            s.executeUpdate();
        }
    }

    /** One mail per contact with unreported addresses, unless it had its mail today or its last failure is recent. */
    void sendMails() throws SQLException {
        List<String> due = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT DISTINCT i.contact FROM abuse_item i "
                     + "WHERE i.mail_id IS NULL "
                     + "AND NOT EXISTS (SELECT 1 FROM abuse_mail m WHERE m.contact = i.contact AND m.day = ?) "
                     + "AND NOT EXISTS (SELECT 1 FROM abuse_send_failure f WHERE f.contact = i.contact "
                     + "  AND f.next_attempt > ?) ORDER BY i.contact")) {
            s.setObject(1, today());
            s.setTimestamp(2, Timestamp.from(clock.instant()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    due.add(r.getString(1));
                }
            }
        }
        for (String contact : due) {
            try {
                send(contact);
            } catch (MessagingException | SQLException | RuntimeException e) {
                Instant next = clock.instant().plus(config.retry());
                int attempts = recordFailure(contact, e.getMessage(), next);
                log.error("abuse reports: the mail to {} was not sent (attempt {}); trying again at {}: {}",
                        contact, attempts, next, e.getMessage());
            }
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Sends under the contact's advisory lock, in one transaction with the record of it. */
    private void send(String contact) throws MessagingException, SQLException {
        LocalDate day = today();
        Integer sent = db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext('abuse:' || ?))")) {
                s.setString(1, contact);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next() || !r.getBoolean(1)) {
                        return null; // another instance is sending to this contact now
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT 1 FROM abuse_mail WHERE contact = ? AND day = ?")) {
                s.setString(1, contact);
                s.setObject(2, day);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return null; // sent today already
                    }
                }
            }
            List<Long> items = new ArrayList<>();
            List<XarfMail.Listed> listed = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT i.id, i.network, l.network::text, l.listed_by, "
                    + "l.listed_at, host(i.address) FROM abuse_item i JOIN abuse_listing l ON l.id = i.listing_id "
                    + "WHERE i.contact = ? AND i.mail_id IS NULL ORDER BY i.address, i.id FOR UPDATE OF i")) {
                s.setString(1, contact);
                try (ResultSet r = s.executeQuery()) {
                    List<String> seen = new ArrayList<>();
                    while (r.next()) {
                        items.add(r.getLong(1));
                        String address = r.getString(6);
                        if (seen.contains(address)) {
                            continue; // listed twice (e.g. delisted and listed again): told once
                        }
                        seen.add(address);
                        AddressEvidence e = evidence.of(address).stream().findFirst().orElse(null);
                        if (e != null) {
                            listed.add(new XarfMail.Listed(e, r.getString(2), r.getString(4),
                                    r.getTimestamp(5).toInstant()));
                        }
                    }
                }
            }
            if (listed.isEmpty()) {
                // their operators opted out since: nothing of theirs is sent
                try (PreparedStatement s = c.prepareStatement("DELETE FROM abuse_item WHERE id = ANY (?)")) {
                    s.setArray(1, c.createArrayOf("bigint", items.toArray()));
                    s.executeUpdate();
                }
                return 0;
            }
            String messageId = "<abuse-" + UUID.randomUUID() + "@" + config.domain() + ">";
            MimeMessage mail = mails.build(mailer.session(), contact, day, listed, messageId);
            long mailId;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO abuse_mail (contact, day, sent_at, message_id, "
                    + "addresses) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
                s.setString(1, contact);
                s.setObject(2, day);
                s.setTimestamp(3, Timestamp.from(clock.instant()));
                s.setString(4, messageId);
                s.setInt(5, listed.size());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    mailId = r.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE abuse_item SET mail_id = ? WHERE id = ANY (?)")) {
                s.setLong(1, mailId);
                s.setArray(2, c.createArrayOf("bigint", items.toArray()));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM abuse_send_failure WHERE contact = ?")) {
                s.setString(1, contact);
                s.executeUpdate();
            }
            mailer.send(mail); // last: if it throws, nothing above is kept and the next run tries again
            return listed.size();
        });
        if (sent != null && sent > 0) {
            log.info("abuse reports: {} addresses reported to {} (X-ARF, one mail for {})", sent, contact, day);
        }
    }

    private int recordFailure(String contact, String error, Instant next) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO abuse_send_failure (contact, attempts, "
                     + "next_attempt, last_error) VALUES (?, 1, ?, ?) ON CONFLICT (contact) DO UPDATE SET "
                     + "attempts = abuse_send_failure.attempts + 1, next_attempt = excluded.next_attempt, "
                     + "last_error = excluded.last_error RETURNING attempts")) {
            s.setString(1, contact);
            s.setTimestamp(2, Timestamp.from(next));
            s.setString(3, error == null ? "unknown error" : error);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            log.error("abuse reports: cannot record the failed mail to {}", contact, e);
            return -1;
        }
    }

    private void forgetOldContacts() throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM abuse_contact_cache WHERE fetched_at < ?")) {
            s.setTimestamp(1, Timestamp.from(clock.instant().minus(config.cacheFor())));
            s.executeUpdate();
        }
    }
}
