package org.tollguard.hub.abuse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.tollguard.hub.config.AbuseReportsConfig;

/**
 * One contact's abuse report of one day as an X-ARF v4 mail: {@code multipart/mixed} with a part for people, one
 * X-ARF v4 JSON report per address (category {@code connection}, type {@code login_attack}: SIP brute force, the
 * evidence inside as base64 CSV with its SHA-256), and the evidence of every address as one CSV part.
 */
final class XarfMail {
    static final String XARF_VERSION = "4.0.0";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final AbuseReportsConfig config;

    XarfMail(AbuseReportsConfig config) {
        this.config = config;
    }

    MimeMessage build(Session session, String contact, LocalDate day, List<Listed> listed, String messageId)
            throws MessagingException {
        MimeMessage mail = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        InternetAddress from = new InternetAddress(config.smtp().from(), true);
        try {
            from.setPersonal(config.org(), StandardCharsets.UTF_8.name());
        } catch (java.io.UnsupportedEncodingException utf8) {
            throw new IllegalStateException(utf8);
        }
        mail.setFrom(from);
        if (config.smtp().replyTo() != null) {
            mail.setReplyTo(new InternetAddress[] {new InternetAddress(config.smtp().replyTo(), true)});
        }
        mail.addRecipient(Message.RecipientType.TO, new InternetAddress(contact, true));
        mail.setSubject("[" + config.org() + "] abuse report " + day + ": SIP login attacks from " + listed.size()
                + (listed.size() == 1 ? " address" : " addresses") + " in your network", StandardCharsets.UTF_8.name());
        mail.setSentDate(new Date());
        mail.setHeader("X-XARF", "PLAIN");
        mail.setHeader("Auto-Submitted", "auto-generated");

        MimeMultipart parts = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(humanText(day, listed), StandardCharsets.UTF_8.name());
        parts.addBodyPart(text);
        StringBuilder allEvidence = new StringBuilder();
        for (Listed l : listed) {
            MimeBodyPart report = new MimeBodyPart();
            report.setContent(report(l), "application/json; charset=utf-8");
            report.setFileName("xarf-" + fileSafe(l.evidence().address()) + ".json");
            parts.addBodyPart(report);
            String csv = l.evidence().csv();
            allEvidence.append(allEvidence.length() == 0 ? csv : csv.substring(csv.indexOf("\r\n") + 2));
        }
        MimeBodyPart evidence = new MimeBodyPart();
        evidence.setContent(allEvidence.toString(), "text/csv; charset=utf-8");
        evidence.setFileName("evidence-" + day + ".csv");
        parts.addBodyPart(evidence);
        mail.setContent(parts);
        return mail;
    }

    /** An address to report and what listed it. */
    record Listed(AddressEvidence evidence, String network, String listedBy, Instant listedAt) {}

    private String humanText(LocalDate day, List<Listed> listed) {
        StringBuilder t = new StringBuilder();
        t.append("Hello,\n\n").append(config.org()).append(" (").append(config.domain()).append(") runs a blocklist of ")
                .append("addresses that attack VoIP telephone systems (PBXs). The ")
                .append(listed.size() == 1 ? "address below" : listed.size() + " addresses below")
                .append(", which RDAP says your network holds, tried to break into SIP accounts of PBXs that ")
                .append("report to us by guessing passwords (SIP brute force, often the first step of toll fraud), ")
                .append("and we listed ").append(listed.size() == 1 ? "it" : "them").append(" on ").append(day)
                .append(" (UTC). The machine").append(listed.size() == 1 ? " is" : "s are")
                .append(" most likely compromised or misused.\n\n");
        for (Listed l : listed) {
            AddressEvidence e = l.evidence();
            t.append("  ").append(e.address()).append("  ").append(l.network()).append('\n')
                    .append("    ").append(e.failures()).append(" failed authentications, seen by ").append(e.sites())
                    .append(e.sites() == 1 ? " PBX" : " PBXs").append(" of ").append(e.operators())
                    .append(e.operators() == 1 ? " operator" : " operators").append(", from ").append(e.firstSeen())
                    .append(" to ").append(e.lastSeen()).append(" (").append(e.protocol().toUpperCase())
                    .append(e.protocol().equals("tcp") ? ": the source completed a TCP handshake, it is not spoofed"
                            : ": UDP").append(")\n");
            if (!e.userAgents().isEmpty()) {
                t.append("    SIP User-Agent: ").append(String.join(", ", e.userAgents())).append('\n');
            }
        }
        t.append("\nAttached: one X-ARF v4 report per address (JSON, category connection, type login_attack; see ")
                .append("https://xarf.org) and the evidence, one line per ban a PBX reported (CSV; times in UTC).\n\n")
                .append("This mail was generated automatically; you get at most one a day from us. Replies reach ")
                .append(config.smtp().replyTo() == null ? config.smtp().from() : config.smtp().replyTo())
                .append(".\n\n-- \n").append(config.org()).append('\n');
        return t.toString();
    }

    String report(Listed l) {
        AddressEvidence e = l.evidence();
        byte[] csv = e.csv().getBytes(StandardCharsets.UTF_8);
        ObjectNode r = JSON.createObjectNode();
        r.put("xarf_version", XARF_VERSION);
        r.put("report_id", UUID.randomUUID().toString());
        r.put("timestamp", e.lastSeen().toString());
        contact(r.putObject("reporter"));
        contact(r.putObject("sender"));
        r.put("source_identifier", e.address());
        r.put("category", "connection");
        r.put("type", "login_attack");
        r.put("protocol", e.protocol());
        r.put("first_seen", e.firstSeen().toString());
        r.put("last_seen", e.lastSeen().toString());
        r.put("evidence_source", "ids_detection");
        ObjectNode item = r.putArray("evidence").addObject();
        item.put("content_type", "text/csv");
        item.put("description", "SIP authentication failures that made PBXs ban the source, one line per ban");
        item.put("payload", Base64.getEncoder().encodeToString(csv));
        item.put("hash", "sha256:" + sha256(csv));
        item.put("size", csv.length);
        r.put("description", "SIP brute force: " + e.failures() + " failed authentications against " + e.sites()
                + " PBXs of " + e.operators() + " operators; listed by " + l.listedBy() + " at " + l.listedAt());
        r.putArray("tags").add("service:sip").add("listing:" + fileSafe(config.domain()));
        r.put("service", "sip");
        return r.toPrettyString();
    }

    private void contact(ObjectNode node) {
        node.put("org", config.org());
        node.put("contact", config.smtp().replyTo() == null ? config.smtp().from() : config.smtp().replyTo());
        node.put("domain", config.domain());
    }

    private static String fileSafe(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
