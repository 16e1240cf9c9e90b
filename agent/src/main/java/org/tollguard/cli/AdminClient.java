package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import org.tollguard.api.ApiToken;
import org.tollguard.config.ApiConfig;

/** Talks to the running agent's admin API on loopback with the token from the token file. */
final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;
    private final String token;

    AdminClient(ApiConfig config) throws CliException {
        String host = config.listen().contains(":") ? "[" + config.listen() + "]" : config.listen();
        this.base = "http://" + host + ":" + config.port();
        try {
            this.token = ApiToken.read(config.tokenFile()).value();
        } catch (NoSuchFileException e) {
            throw new NotRunning("no API token at " + config.tokenFile() + ": is the agent running? (it creates the file)");
        } catch (AccessDeniedException e) {
            throw new CliException("cannot read " + config.tokenFile() + ": run as root");
        } catch (IOException e) {
            throw new CliException("cannot read " + config.tokenFile() + ": " + e.getMessage());
        }
    }

    /** The agent cannot be reached: it is not running (or never ran here). */
    static final class NotRunning extends CliException {
        NotRunning(String message) {
            super(message);
        }
    }

    JsonNode get(String path) throws CliException {
        return send(request(path).GET());
    }

    JsonNode post(String path, Object body) throws CliException {
        try {
            return send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        }
    }

    JsonNode delete(String path) throws CliException {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest.Builder request) throws CliException {
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = response.body().length == 0 ? JSON.nullNode() : JSON.readTree(response.body());
            if (response.statusCode() >= 400) {
                throw new CliException(body.path("error").asText("agent answered HTTP " + response.statusCode()));
            }
            return body;
        } catch (ConnectException e) {
            throw new NotRunning("the agent is not running (nothing listens on " + base + ")");
        } catch (IOException e) {
            throw new CliException("talking to the agent at " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
