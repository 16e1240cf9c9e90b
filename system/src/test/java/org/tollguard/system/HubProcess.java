package org.tollguard.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tollguard.hub.config.DatabaseConfig;
import org.tollguard.hub.support.HubClient;
import org.tollguard.hub.support.PostgresCluster;
import org.tollguard.hub.support.TestHubs;
import org.tollguard.protocol.HubPaths;
import org.tollguard.testbed.Testbed;

/**
 * A real hub process ({@code tollguard-hub serve}) on a fresh database of the test JVM's throwaway PostgreSQL, with
 * its config file and key pair in {@code dir}; publication every 200 ms. It runs from the hub's own jar, as
 * {@code tollguard-hub serve} does, and can be killed with SIGKILL and started again on the same port and database.
 */
final class HubProcess implements AutoCloseable {
    private final Path dir;
    private final Path config;
    private final DatabaseConfig database;
    private final int port;
    private Process process;
    private int starts;

    private HubProcess(Path dir, Path config, DatabaseConfig database, int port) {
        this.dir = dir;
        this.config = config;
        this.database = database;
        this.port = port;
    }

    /** Writes the config ({@code extra} adds top-level sections) and the key pair, starts the hub, waits until it serves. */
    static HubProcess start(Path dir, String extra) throws Exception {
        DatabaseConfig database = PostgresCluster.get().newDatabase();
        int port = PostgresCluster.freePort();
        TestHubs.writeKey(dir);
        Path config = Files.writeString(dir.resolve("hub.yml"), """
                database:
                  url: %s
                  user: postgres
                http:
                  address: 127.0.0.1
                  port: %d
                signing:
                  secret-key: %s
                publication:
                  interval: 200ms
                %s
                """.formatted(database.url(), port, dir.resolve("hub.key"), extra));
        HubProcess hub = new HubProcess(dir, config, database, port);
        hub.restart();
        return hub;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    DatabaseConfig database() {
        return database;
    }

    /** SIGKILL, as a crash or an OOM killer would; waits until the process is gone. */
    void kill9() throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("hub pid " + process.pid() + " survived kill -9");
        }
    }

    /** Starts the hub (again) on the same port and database and waits until it serves the list's head. */
    void restart() throws Exception {
        Path log = dir.resolve("hub-" + (++starts) + ".log");
        process = new ProcessBuilder(command("serve")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HubClient client = new HubClient(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub died:\n" + Files.readString(log));
            }
            try {
                if (client.get(HubPaths.head("community")).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the hub did not come up in 60 s:\n" + Files.readString(log));
    }

    private List<String> command(String... args) {
        Path jar = Testbed.root().resolve("hub/target/tollguard-hub.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the hub module is packaged before this one");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                jar.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", config.toString()));
        return command;
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
