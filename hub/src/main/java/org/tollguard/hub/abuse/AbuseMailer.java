package org.tollguard.hub.abuse;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.tollguard.hub.config.AbuseReportsConfig.Smtp;

/**
 * Sends the reports through the configured SMTP server with Jakarta Mail (Angus Mail), as the agent's alert mail
 * does: with {@code starttls} the session is upgraded before anything else is said and nothing is sent if the
 * server does not offer it; the server's certificate and host name are checked in both TLS modes.
 */
public final class AbuseMailer {
    private final Smtp config;
    private final Session session;

    public AbuseMailer(Smtp config, Duration timeout) {
        this(config, timeout, null);
    }

    /** {@code tlsSockets}: where TLS sockets come from instead of the JDK default (tests trust their own CA). */
    public AbuseMailer(Smtp config, Duration timeout, SSLSocketFactory tlsSockets) {
        this.config = config;
        this.session = Session.getInstance(properties(config, timeout, tlsSockets));
    }

    private static Properties properties(Smtp config, Duration timeout, SSLSocketFactory tlsSockets) {
        boolean implicitTls = config.security() == Smtp.Security.TLS;
        String p = implicitTls ? "mail.smtps." : "mail.smtp.";
        Properties props = new Properties();
        props.put("mail.transport.protocol", implicitTls ? "smtps" : "smtp");
        props.put(p + "host", config.host());
        props.put(p + "port", String.valueOf(config.port()));
        props.put(p + "from", config.from());
        String millis = String.valueOf(timeout.toMillis());
        props.put(p + "connectiontimeout", millis);
        props.put(p + "timeout", millis);
        props.put(p + "writetimeout", millis);
        props.put(p + "auth", String.valueOf(config.username() != null));
        if (config.security() == Smtp.Security.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (config.security() != Smtp.Security.NONE) {
            props.put(p + "ssl.checkserveridentity", "true");
            props.put(p + "ssl.protocols", "TLSv1.3 TLSv1.2");
            if (tlsSockets != null) {
                props.put(p + "ssl.socketFactory", tlsSockets);
            }
        }
        return props;
    }

    public Session session() {
        return session;
    }

    public void send(MimeMessage mail) throws MessagingException {
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
