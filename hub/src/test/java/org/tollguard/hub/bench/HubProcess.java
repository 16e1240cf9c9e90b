package org.tollguard.hub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.config.HubConfigLoader;
import org.tollguard.protocol.HubPaths;

/**
 * The hub as shipped ({@code tollguard-hub serve --config FILE}) in a JVM of its own, so that a benchmark's load
 * generator does not share the hub's heap, JIT and threads. Its log goes to {@code hub.log} in {@code dir}.
 */
final class HubProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private HubProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the hub with {@code config} and {@code javaOptions} (e.g. -Xmx1g) and waits until it answers. */
    static HubProcess start(HubConfig config, Path dir, List<String> javaOptions) throws Exception {
        Path file = dir.resolve("hub.yml");
        Files.writeString(file, HubConfigLoader.render(config));
        Path log = dir.resolve("hub.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.tollguard.hub.cli.Main", "serve",
                "--config", file.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HubProcess hub = new HubProcess(p, log);
        hub.awaitUp("http://" + config.http().address() + ":" + config.http().port());
        return hub;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    private void awaitUp(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub exited: " + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + HubPaths.head("community")))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() < 500) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("the hub did not answer within 120 s: " + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
