package org.tollguard.hub.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.tollguard.hub.config.DatabaseConfig;
import org.tollguard.yamlconfig.Secret;

/**
 * A throwaway PostgreSQL cluster from Debian's own binaries ({@code postgresql} 15), in a temporary directory on
 * a free loopback port, started once per test JVM and removed at its end. PostgreSQL refuses to run as root, so
 * as root (CI) it runs as the {@code postgres} user, in a directory that user owns.
 */
public final class PostgresCluster {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static PostgresCluster running;
    /** Why the cluster did not start: every later test fails at once with it instead of trying again. */
    private static IllegalStateException failed;

    private final Path dir;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresCluster(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static synchronized PostgresCluster get() {
        if (failed != null) {
            throw failed;
        }
        if (running == null) {
            try {
                running = start();
            } catch (IOException | InterruptedException e) {
                failed = new IllegalStateException("cannot start a test PostgreSQL: " + e.getMessage(), e);
                throw failed;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "postgres-stop"));
        }
        return running;
    }

    private static PostgresCluster start() throws IOException, InterruptedException {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            throw new IOException(BIN + "/initdb not found: install Debian's postgresql package (./run-tests does)");
        }
        Path dir = Files.createTempDirectory("tollguard-pg-");
        if (asRoot()) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal postgres = users.lookupPrincipalByName("postgres");
            GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
            PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
            view.setOwner(postgres);
            view.setGroup(group);
        }
        Path data = dir.resolve("data");
        run(dir, BIN.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--no-sync", "--no-instructions");
        int port = freePort();
        // tests need no durability; benchmarks (-Dtollguard.pg.durable=true) measure PostgreSQL as installed
        // (and may look at pg_stat_statements)
        String durability = Boolean.getBoolean("tollguard.pg.durable")
                ? " -c shared_preload_libraries=pg_stat_statements -c track_io_timing=on"
                : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        run(dir, BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 "
                        + "-c max_connections=300" + durability, "start");
        return new PostgresCluster(dir, port);
    }

    /** A new, empty database of its own. */
    public DatabaseConfig newDatabase() {
        String name = "hub_test_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return new DatabaseConfig(url(name), "postgres", Secret.of(""), 8);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void stop() {
        try {
            run(dir, BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "stop");
        } catch (IOException | InterruptedException e) {
            // the directory goes anyway
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            String log = "";
            Path serverLog = dir.resolve("server.log");
            if (Files.exists(serverLog)) {
                log = "\nserver.log:\n" + Files.readString(serverLog);
            }
            throw new IOException(String.join(" ", full) + " failed:\n" + new String(output, StandardCharsets.UTF_8) + log);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
