package org.tollguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.decision.Decision;
import org.tollguard.decision.Target;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Origin;

class StoreTest {
    @TempDir
    Path dir;

    private static String scalar(Store store, String sql) {
        return store.inTransaction(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    private static List<String> column(Store store, String sql) {
        return store.inTransaction(c -> {
            List<String> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** A real database with enough rows to span many pages. */
    private Path populated(String name) {
        Path db = dir.resolve(name);
        try (Store store = Store.open(db)) {
            DecisionRepository repo = new DecisionRepository(store);
            for (int i = 0; i < 400; i++) {
                repo.insert(Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse("198.51.100." + (i % 250)), "failures " + i,
                        Map.of("count", i, "accounts", List.of("1001", "1002")), Origin.LOCAL,
                        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), null));
            }
        }
        return db;
    }

    /** The versions of the shipped migrations (db/migration/V<n>__*.sql), in order: every branch adds its own. */
    private static List<String> migrations() {
        try (var files = Files.list(Path.of(StoreTest.class.getResource("/db/migration").toURI()))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.+\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__"))).sorted(java.util.Comparator.comparingInt(Integer::parseInt))
                    .toList();
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n"), message);
        assertFalse(message.contains("\tat "), message);
        assertFalse(message.contains("Exception"), message);
    }

    @Test
    void createsTheDatabaseInWalModeAndMigrates() {
        Path db = dir.resolve("tollguard.db");
        try (Store store = Store.open(db)) {
            assertTrue(Files.isRegularFile(db));
            assertEquals(db, store.path());
            assertEquals("wal", scalar(store, "PRAGMA journal_mode"));
            assertEquals("1", scalar(store, "PRAGMA foreign_keys"));
            assertEquals(migrations(), column(store,
                    "SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank"));
            assertEquals(List.of("1", "2"), migrations().subList(0, 2));
            List<String> tables = column(store, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
            assertTrue(tables.containsAll(List.of("decision", "flyway_schema_history", "trusted_address")), tables.toString());
        }
    }

    @Test
    void reopeningKeepsDataAndDoesNotMigrateAgain() {
        Path db = populated("tollguard.db");
        try (Store store = Store.open(db)) {
            assertEquals("400", scalar(store, "SELECT COUNT(*) FROM decision"));
            assertEquals(String.valueOf(migrations().size()),
                    scalar(store, "SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL"));
            assertEquals("wal", scalar(store, "PRAGMA journal_mode"));
        }
    }

    @Test
    void emptyFileIsAFreshDatabase() throws IOException {
        Path db = Files.createFile(dir.resolve("empty.db"));
        try (Store store = Store.open(db)) {
            assertEquals("0", scalar(store, "SELECT COUNT(*) FROM decision"));
        }
    }

    @Test
    void randomBytesAreNotADatabase() throws IOException {
        Path db = dir.resolve("random.db");
        byte[] junk = new byte[16384];
        new Random(42).nextBytes(junk);
        Files.write(db, junk);
        StoreException e = assertThrows(StoreException.class, () -> Store.open(db));
        assertEquals("store " + db + ": not a SQLite database (corrupt or another file);"
                + " move it away to start with an empty store", e.getMessage());
    }

    @Test
    void textFileIsNotADatabase() throws IOException {
        Path db = dir.resolve("notes.db");
        Files.writeString(db, "this is not a database\n".repeat(20));
        StoreException e = assertThrows(StoreException.class, () -> Store.open(db));
        assertTrue(e.getMessage().startsWith("store " + db + ": not a SQLite database"), e.getMessage());
    }

    @Test
    void overwrittenHeaderIsNotADatabase() throws IOException {
        Path db = populated("header.db");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.write(new byte[100]);
        }
        StoreException e = assertThrows(StoreException.class, () -> Store.open(db));
        assertTrue(e.getMessage().startsWith("store " + db + ": not a SQLite database"), e.getMessage());
    }

    @Test
    void overwrittenPageIsReportedAsCorrupt() throws IOException {
        Path db = populated("page.db");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            assertTrue(f.length() > 8 * 4096, "database too small to corrupt a middle page: " + f.length());
            byte[] junk = new byte[4096];
            new Random(7).nextBytes(junk);
            f.seek(2 * 4096);
            f.write(junk);
        }
        StoreException e = assertThrows(StoreException.class, () -> Store.open(db));
        assertTrue(e.getMessage().startsWith("store " + db + ": database is corrupt ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("); restore a backup or move it away to start with an empty store"),
                e.getMessage());
        assertOneLine(e.getMessage());
    }

    @Test
    void missingDirectory() {
        Path db = dir.resolve("no/such/dir/tollguard.db");
        StoreException e = assertThrows(StoreException.class, () -> Store.open(db));
        assertEquals("store " + db + ": directory " + dir.resolve("no/such/dir") + " does not exist", e.getMessage());
        assertFalse(Files.exists(dir.resolve("no")));
    }

    @Test
    void useAfterCloseIsAStoreException() {
        Store store = Store.open(dir.resolve("closed.db"));
        store.close();
        store.close(); // twice is harmless
        StoreException e = assertThrows(StoreException.class, () -> new DecisionRepository(store).recent(1));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().startsWith("store " + dir.resolve("closed.db") + ": "), e.getMessage());
    }

    @Test
    void failedWorkIsRolledBack() {
        try (Store store = Store.open(dir.resolve("tx.db"))) {
            assertThrows(IllegalStateException.class, () -> store.inTransaction(c -> {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO trusted_address (address, account, last_success) VALUES ('a', 'b', 1)");
                }
                throw new IllegalStateException("boom");
            }));
            assertEquals("0", scalar(store, "SELECT COUNT(*) FROM trusted_address"));
            StoreException e = assertThrows(StoreException.class, () -> store.inTransaction(c -> {
                try (Statement st = c.createStatement()) {
                    return st.executeUpdate("INSERT INTO nosuchtable VALUES (1)");
                }
            }));
            assertOneLine(e.getMessage());
            assertEquals("0", scalar(store, "SELECT COUNT(*) FROM trusted_address"));
        }
    }

    // ---- read-only files and directories. Root ignores file modes (access(2) says writable for 0444), so as
    // root these tests make the file or directory immutable (chattr +i), which root's access(2) does honour
    // (EPERM); as any other user a plain chmod does. Where neither works (e.g. tmpfs has no chattr) they are
    // skipped, not passed.

    private final List<Path> madeReadOnly = new ArrayList<>();

    private void makeReadOnly(Path p) throws IOException, InterruptedException {
        madeReadOnly.add(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-xr-xr-x" : "r--r--r--"));
        if (Files.isWritable(p)) {
            Process chattr = new ProcessBuilder("chattr", "+i", p.toString()).redirectErrorStream(true).start();
            String out = new String(chattr.getInputStream().readAllBytes());
            assumeTrue(chattr.waitFor() == 0 && !Files.isWritable(p),
                    "cannot make " + p + " read-only for this user (root, and chattr +i failed: " + out.strip() + ")");
        }
    }

    @AfterEach
    void undoReadOnly() throws IOException, InterruptedException {
        for (Path p : madeReadOnly) {
            new ProcessBuilder("chattr", "-i", p.toString()).redirectErrorStream(true).start().waitFor();
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        }
    }

    @Test
    void readOnlyFile() throws Exception {
        Path db = populated("ro.db");
        makeReadOnly(db);
        StoreException e = assertThrows(StoreException.class, () -> Store.open(db));
        assertEquals("store " + db + ": file is read-only; the agent must be able to write it", e.getMessage());
    }

    @Test
    void readOnlyDirectoryForANewDatabase() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        makeReadOnly(ro);
        Path db = ro.resolve("tollguard.db");
        StoreException e = assertThrows(StoreException.class, () -> Store.open(db));
        assertEquals("store " + db + ": cannot create it, directory " + ro + " is read-only", e.getMessage());
        assertFalse(Files.exists(db));
    }

    @Test
    void readOnlyDirectoryForAnExistingDatabase() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Path db = Files.move(populated("tollguard.db"), ro.resolve("tollguard.db"));
        makeReadOnly(ro);
        assertTrue(Files.isWritable(db));
        // the file itself is writable, but WAL mode must create tollguard.db-wal and -shm beside it
        StoreException e = assertThrows(StoreException.class, () -> Store.open(db));
        assertEquals("store " + db + ": directory " + ro + " is read-only; the agent must be able to create"
                + " tollguard.db-wal and tollguard.db-shm there", e.getMessage());
    }

    @Test
    void pathIsADirectory() throws IOException {
        Path db = Files.createDirectory(dir.resolve("tollguard.db"));
        StoreException e = assertThrows(StoreException.class, () -> Store.open(db));
        assertEquals("store " + db + ": is a directory, not a database file", e.getMessage());
    }
}
