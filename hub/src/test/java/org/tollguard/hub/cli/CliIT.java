package org.tollguard.hub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.hub.config.DatabaseConfig;
import org.tollguard.hub.support.PostgresExtension;
import org.tollguard.protocol.minisign.MinisignPublicKey;
import org.tollguard.protocol.minisign.MinisignSecretKey;

/** The operator's commands: keygen, check-config, enroll, approve, publish, on a real PostgreSQL. */
class CliIT {
    @RegisterExtension
    final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.commandLine().execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private Path config(DatabaseConfig database) throws Exception {
        return Files.writeString(dir.resolve("hub.yml"), String.join("\n",
                "database:",
                "  url: " + database.url(),
                "  user: postgres",
                "signing:",
                "  secret-key: " + dir.resolve("keys/hub.key"),
                ""));
    }

    @Test
    void keygenWritesAPrivateKeyOnlyItsOwnerCanRead() throws Exception {
        Path key = dir.resolve("keys/hub.key");
        Run made = run("keygen", "--secret-key", key.toString());
        assertEquals(0, made.code, made.err);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        MinisignSecretKey secret = MinisignSecretKey.read(key);
        assertEquals(secret.publicKey(), MinisignPublicKey.read(dir.resolve("keys/hub.pub")));
        assertTrue(made.out.contains(secret.publicKey().base64()));

        Run again = run("keygen", "--secret-key", key.toString());
        assertEquals(1, again.code);
        assertTrue(again.err.contains("exists"), again.err);
        assertEquals(secret.publicKey(), MinisignSecretKey.read(key).publicKey(), "an existing key is kept");
    }

    @Test
    void checkConfigNamesTheLineAndTheMissingKey() throws Exception {
        Path config = config(postgres.database());
        Run noKey = run("check-config", "--config", config.toString());
        assertEquals(1, noKey.code);
        assertTrue(noKey.err.contains("hub.key: cannot read"), noKey.err);

        run("keygen", "--secret-key", dir.resolve("keys/hub.key").toString());
        Run ok = run("check-config", "--config", config.toString());
        assertEquals(0, ok.code, ok.err);
        assertTrue(ok.err.contains("is valid"), ok.err);

        Files.writeString(config, Files.readString(config) + "intake:\n  rate: fast\n");
        Run broken = run("check-config", "--config", config.toString());
        assertEquals(1, broken.code);
        assertTrue(broken.err.contains("hub.yml:7: intake.rate:"), broken.err);
    }

    @Test
    void enrollApproveAndPublishAreRecordedWithWhoDidThem() throws Exception {
        Path config = config(postgres.database());
        run("keygen", "--secret-key", dir.resolve("keys/hub.key").toString());
        Run enroll = run("enroll", "--config", config.toString(), "--site", "acme-office", "--operator", "acme");
        assertEquals(0, enroll.code, enroll.err);
        assertTrue(enroll.out.strip().startsWith("tge_"), enroll.out);

        Run approve = run("approve", "--config", config.toString(), "203.0.113.50", "--for", "30d");
        assertEquals(0, approve.code, approve.err);
        Run bad = run("approve", "--config", config.toString(), "example.com");
        assertEquals(1, bad.code);
        assertTrue(bad.err.contains("not an IPv4 or IPv6 address"), bad.err);

        Run publish = run("publish", "--config", config.toString());
        assertEquals(0, publish.code, publish.err);
        assertEquals("published generation 1", publish.out.strip());
        assertEquals("nothing to publish", run("publish", "--config", config.toString()).out.strip());

        try (Connection c = DriverManager.getConnection(postgres.database().url(), "postgres", "");
             Statement s = c.createStatement()) {
            ResultSet r = s.executeQuery("select approved_by, expires_at is not null from approval");
            r.next();
            assertEquals("operator:" + System.getProperty("user.name"), r.getString(1));
            assertTrue(r.getBoolean(2));
            r = s.executeQuery("select count(*) from enrollment_token t join site s on s.id = t.site_id "
                    + "join operator o on o.id = s.operator_id where s.name = 'acme-office' and o.name = 'acme'");
            r.next();
            assertEquals(1, r.getInt(1));
        }
    }
}
