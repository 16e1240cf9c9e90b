package org.tollguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.blacklist.Enrollment;
import org.tollguard.config.HubConfig;
import org.tollguard.protocol.EnrollRequest;
import org.tollguard.protocol.EnrollResponse;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.minisign.MinisignSecretKey;
import picocli.CommandLine;

/** {@code tollguard enroll URL TOKEN} against a real HTTP(S) server on loopback. */
class EnrollCommandTest {
    static final String PUBLIC_KEY = MinisignSecretKey.generate().publicKey().base64();

    @TempDir
    Path dir;
    HttpServer server;
    final AtomicReference<EnrollRequest> received = new AtomicReference<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A hub whose /v1/enroll takes {@code good} once and refuses anything else with 403. */
    void hub(HttpServer s, String good) {
        server = s;
        server.createContext("/v1/enroll", x -> {
            EnrollRequest r = ProtocolJson.mapper().readValue(x.getRequestBody(), EnrollRequest.class);
            received.set(r);
            if (good.equals(r.token())) {
                send(x, 200, ProtocolJson.mapper().writeValueAsBytes(new EnrollResponse(1, "17", "acme-office",
                        "tga_17_secret", "community", List.of(PUBLIC_KEY), 4L)));
            } else {
                send(x, 403, "{\"error\":\"enrollment token unknown, used already or expired\"}"
                        .getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    static void send(HttpExchange x, int status, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, body.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(body);
        }
    }

    String url(String scheme) {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    Path config(String hubSection) throws IOException {
        Path file = dir.resolve("tollguard.yml");
        Files.writeString(file, "hub:\n  credential-file: " + dir.resolve("hub.json") + "\n" + hubSection);
        return file;
    }

    int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void exchangesTheTokenForACredentialOnlyItsOwnerCanRead() throws Exception {
        hub(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8), "tge_good");
        Path config = config("");
        assertEquals(0, run("enroll", "-c", config.toString(), url("http"), "tge_good"), err.toString());
        assertEquals("tge_good", received.get().token());
        assertEquals(1, received.get().protocol());

        Path file = dir.resolve("hub.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Enrollment e = Enrollment.load(new HubConfig(url("http"), file, null, null, null));
        assertEquals("tga_17_secret", e.credential());
        assertEquals("community", e.list());
        assertEquals(List.of(PUBLIC_KEY), e.publicKeys());
        assertTrue(out.toString().contains("as agent 17 of site acme-office"), out.toString());
        assertFalse(out.toString().contains("tga_17_secret"), "the credential is never printed");

        // the token is used up: a second enrollment is refused with the hub's reason, the credential kept
        assertEquals(1, run("enroll", "-c", config.toString(), url("http"), "tge_used"));
        assertTrue(err.toString().contains("HTTP 403") && err.toString().contains("used already"), err.toString());
        assertEquals("tga_17_secret", Enrollment.load(new HubConfig(url("http"), file, null, null, null)).credential());
    }

    @Test
    void anotherHubThanTheConfiguredOneIsRefused() throws Exception {
        hub(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8), "tge_good");
        Path config = config("  url: https://hub.example.org\n");
        assertEquals(1, run("enroll", "-c", config.toString(), url("http"), "tge_good"));
        assertTrue(err.toString().contains("hub.url in"), err.toString());
        assertEquals(null, received.get(), "nothing sent");
    }

    @Test
    void httpsIsVerifiedAgainstThePinnedCaOrTheSystemStore() throws Exception {
        Path keystore = dir.resolve("hub.p12");
        Path cert = dir.resolve("hub-ca.pem");
        keytool("-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype",
                "PKCS12", "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "hub", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", cert.toString());
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        hub(https, "tge_good");

        // the system store does not know this certificate
        assertEquals(1, run("enroll", "-c", config("").toString(), url("https"), "tge_good"));
        assertTrue(err.toString().contains("not trusted") && err.toString().contains("hub.ca-file"), err.toString());
        assertEquals(null, received.get(), "no token sent to an unverified server");

        assertEquals(0, run("enroll", "-c", config("  ca-file: " + cert + "\n").toString(), url("https"),
                "tge_good"), err.toString());
        assertEquals("tge_good", received.get().token());
    }

    static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
    }

}
