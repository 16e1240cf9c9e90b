package org.tollguard.alerts;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends digests as plain-text e-mail through an SMTP server with Jakarta Mail (Angus Mail). With
 * {@code security: starttls} the session is upgraded to TLS before anything else is said, and the mail is not
 * sent if the server does not offer STARTTLS; the server's certificate and host name are checked against the
 * JDK's trusted certificates in both TLS modes.
 */
final class EmailChannel implements Channel {
    private final AlertsConfig.Email config;
    private final Session session;

    EmailChannel(AlertsConfig.Email config) {
        this(config, null);
    }

    /** {@code tlsSockets}: where TLS sockets come from instead of the JDK default (tests trust their own CA). */
    EmailChannel(AlertsConfig.Email config, SSLSocketFactory tlsSockets) {
        this.config = config;
        this.session = Session.getInstance(properties(config, tlsSockets));
    }

    static Properties properties(AlertsConfig.Email config, SSLSocketFactory tlsSockets) {
        boolean implicitTls = config.security() == AlertsConfig.Email.Security.TLS;
        String p = implicitTls ? "mail.smtps." : "mail.smtp.";
        Properties props = new Properties();
        props.put("mail.transport.protocol", implicitTls ? "smtps" : "smtp");
        props.put(p + "host", config.host());
        props.put(p + "port", String.valueOf(config.port()));
        props.put(p + "from", config.from());
        String timeout = String.valueOf(config.timeout().toMillis());
        props.put(p + "connectiontimeout", timeout);
        props.put(p + "timeout", timeout);
        props.put(p + "writetimeout", timeout);
        props.put(p + "auth", String.valueOf(config.username() != null));
        if (config.security() == AlertsConfig.Email.Security.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (config.security() != AlertsConfig.Email.Security.NONE) {
            props.put(p + "ssl.checkserveridentity", "true");
            props.put(p + "ssl.protocols", "TLSv1.3 TLSv1.2");
            if (tlsSockets != null) {
                props.put(p + "ssl.socketFactory", tlsSockets);
            }
        }
        return props;
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public void send(DigestMessage message) throws MessagingException {
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress(config.from(), true));
        for (String to : config.to()) {
            mail.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        }
        mail.setSubject(message.subject(config.subjectPrefix()), StandardCharsets.UTF_8.name());
        mail.setSentDate(new Date());
        mail.setHeader("X-Tollguard-Severity", message.highest().id());
        mail.setText(message.text(), StandardCharsets.UTF_8.name());
        try (Transport transport = session.getTransport()) {
            if (config.username() != null) {
                transport.connect(config.username(), config.password().value());
            } else {
                transport.connect();
            }
            mail.saveChanges();
            transport.sendMessage(mail, mail.getAllRecipients());
        }
    }
}
