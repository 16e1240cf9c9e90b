package org.tollguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.Agent;
import org.tollguard.config.ConfigLoader;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.Store;
import org.tollguard.support.Ports;

/**
 * {@code ban}, {@code unban}, {@code block} and {@code unblock} against a real agent (log firewall, no PBX): each
 * is stored with the Unix user who ran it and the reason given.
 */
class OperatorRecordTest {
    @TempDir
    Path dir;
    Path configFile;
    Agent agent;

    @BeforeEach
    void start() throws Exception {
        configFile = dir.resolve("tollguard.yml");
        Files.writeString(configFile, """
                store: {path: %s}
                api: {port: %d, token-file: %s}
                asterisk: {enabled: false}
                firewall: {backend: log}
                """.formatted(dir.resolve("t.db"), Ports.freePort(), dir.resolve("api.token")));
        agent = Agent.start(ConfigLoader.load(configFile), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void whoAndWhyAreStoredForEachOperatorCommand() throws Exception {
        cli("ban", "203.0.113.5", "--for", "2h", "--reason", "seen scanning");
        cli("unban", "203.0.113.5", "--reason", "our own monitoring host");
        cli("block", "4711", "--reason", "customer asked");
        cli("unblock", "4711", "--reason", "customer paid");
        agent.close(); // the journal is written to the end
        agent = null;

        String user = System.getProperty("user.name");
        try (Store store = Store.open(dir.resolve("t.db"))) {
            List<Decision> stored = new DecisionRepository(store).recent(10);
            Decision ban = only(stored, DecisionKind.BAN_ADDRESS);
            assertEquals("seen scanning", ban.reason());
            assertEquals(Map.of("by", user), ban.evidence());
            assertEquals(user, ban.liftedBy());
            assertEquals("our own monitoring host", ban.liftReason());
            Decision block = only(stored, DecisionKind.BLOCK_ACCOUNT);
            assertEquals("customer asked", block.reason());
            assertEquals(Map.of("by", user), block.evidence());
            assertEquals(user, block.liftedBy());
            assertEquals("customer paid", block.liftReason());
        }
    }

    @Test
    void aCommandRunThroughSudoNamesTheCaller() {
        assertEquals("alice (via sudo as root)", Operator.of("root", "alice"));
        assertEquals("root", Operator.of("root", null));
        assertEquals("root", Operator.of("root", "root"));
    }

    private static Decision only(List<Decision> stored, DecisionKind kind) {
        List<Decision> of = stored.stream().filter(d -> d.kind() == kind).toList();
        assertEquals(1, of.size(), stored.toString());
        return of.get(0);
    }

    private void cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status;
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--config";
            all[args.length + 1] = configFile.toString();
            status = Main.commandLine().execute(all);
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, status, "tollguard " + String.join(" ", args) + ": " + buffer);
    }
}
