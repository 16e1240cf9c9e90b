package org.tollguard.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.hub.config.HttpConfig;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.support.PostgresCluster;
import org.tollguard.hub.support.PostgresExtension;
import org.tollguard.hub.support.TestHubs;
import org.tollguard.protocol.HubPaths;

/** HTTPS from a PEM certificate and key (made by openssl, as an operator or certbot would). */
class HubTlsIT {
    @RegisterExtension
    final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    Path dir;

    @Test
    void servesHttpsThatAClientPinningTheCertificateAccepts() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes());
        assertEquals(0, openssl.waitFor(), out);

        TestHubs.writeKey(dir);
        HubConfig plain = TestHubs.config(postgres.database(), dir, PostgresCluster.freePort());
        HubConfig config = new HubConfig(plain.database(), new HttpConfig("127.0.0.1", plain.http().port(), cert, key),
                plain.signing(), plain.publication(), plain.intake(), plain.autoApprove(), plain.enrollment());
        try (Hub hub = Hub.start(config, Clock.systemUTC())) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trust.setCertificateEntry("hub", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient pinned = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
            URI head = URI.create("https://127.0.0.1:" + hub.port() + HubPaths.head("community"));
            int status = 0;
            for (int i = 0; i < 100 && status != 200; i++) {
                status = pinned.send(HttpRequest.newBuilder(head).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                Thread.sleep(50);
            }
            assertEquals(200, status);
            // a client that does not trust the certificate is refused
            assertThrows(SSLHandshakeException.class, () -> HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(head).build(), HttpResponse.BodyHandlers.discarding()));
        }
    }
}
