package org.tollguard.blacklist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.yamlconfig.Secret;

/**
 * APIBAN's banned list: {@code GET {url}/{key}/banned/{id}} answers a page of addresses and the ID of the next
 * page, starting at ID 100 (the whole current list); the end is HTTP 400 with {@code "ID": "none"} and
 * {@code "ipaddress": ["no new bans"]}. APIBAN limits the request rate: pages are fetched with a pause between
 * them, and a "rate limit exceeded" answer (or HTTP 429) is waited out, a few times, within the sync's time.
 * APIBAN drops old addresses by itself and never says so, so every sync reads the whole list.
 */
final class ApibanSource implements ListSource {
    private static final Logger log = LoggerFactory.getLogger(ApibanSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FIRST_ID = "100";
    private static final int MAX_PAGES = 10_000;
    private static final int MAX_RATE_LIMIT_WAITS = 5;

    private final ListHttp http;
    private final String base;
    private final Secret key;
    private final Duration pause;
    private final Duration rateLimitWait;

    ApibanSource(ListHttp http, String url, Secret key, Duration pause, Duration rateLimitWait) {
        this.http = http;
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.key = key;
        this.pause = pause;
        this.rateLimitWait = rateLimitWait;
    }

    private record Page(String nextId, JsonNode addresses, boolean end, Duration retryAfter) {}

    @Override
    public Result fetch(Validators since, Intake intake, SyncProgress progress, Deadline deadline)
            throws IOException, ListException {
        String id = FIRST_ID;
        NetParser net = new NetParser();
        int waits = 0;
        for (int pages = 0; pages < MAX_PAGES; ) {
            URI uri = URI.create(base + "/" + URLEncoder.encode(key.value(), StandardCharsets.UTF_8) + "/banned/"
                    + URLEncoder.encode(id, StandardCharsets.UTF_8));
            Page page = http.get(uri, Map.of("Accept", "application/json"), deadline.remaining(), this::page);
            if (page.retryAfter != null) {
                if (++waits > MAX_RATE_LIMIT_WAITS) {
                    throw new ListException("APIBAN keeps answering 'rate limit exceeded'");
                }
                Duration wait = page.retryAfter;
                if (wait.compareTo(deadline.remaining()) >= 0) {
                    throw new ListException("APIBAN's rate limit asks to wait " + wait.toSeconds()
                            + "s, longer than this sync has left");
                }
                log.info("apiban rate limited, waiting wait_ms={}", wait.toMillis());
                sleep(wait);
                continue;
            }
            pages++;
            for (JsonNode a : page.addresses) {
                String text = a.asText();
                if (text.equals("no new bans")) {
                    continue;
                }
                if (net.parse(text, 0, text.length())) {
                    intake.add(net, 0, "apiban");
                } else {
                    intake.malformed(text);
                }
            }
            progress.entries(intake.seen());
            if (page.end || page.nextId == null || page.nextId.equals(id)) {
                return new Full(intake.build(), Validators.NONE);
            }
            id = page.nextId;
            sleep(pause);
        }
        throw new ListException("APIBAN sent more than " + MAX_PAGES + " pages");
    }

    private Page page(org.apache.hc.core5.http.ClassicHttpResponse response) throws IOException, ListException {
        int status = response.getCode();
        if (status == 429) {
            return new Page(null, null, false, retryAfter(response));
        }
        JsonNode body;
        try (InputStream in = response.getEntity() == null ? InputStream.nullInputStream() : response.getEntity().getContent()) {
            body = JSON.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ListException("HTTP " + status + " from APIBAN with a body that is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new ListException("HTTP " + status + " from APIBAN without an answer");
        }
        JsonNode ip = body.path("ipaddress");
        String id = body.path("ID").asText(null);
        if (ip.asText("").contains("rate limit exceeded")
                || (ip.isArray() && ip.size() > 0 && ip.get(0).asText().contains("rate limit exceeded"))) {
            return new Page(null, null, false, retryAfter(response));
        }
        if ("unauthorized".equals(id) || status == 401 || status == 403) {
            throw new ListException("APIBAN refused the API key (HTTP " + status + ")");
        }
        if ("none".equals(id)) {
            return new Page(null, ip.isArray() ? ip : JSON.createArrayNode(), true, null);
        }
        if (status != 200) {
            throw new ListException("HTTP " + status + " from APIBAN: " + body);
        }
        if (!ip.isArray() || id == null) {
            throw new ListException("APIBAN's answer has no address list or no ID: " + body);
        }
        return new Page(id, ip, false, null);
    }

    private Duration retryAfter(org.apache.hc.core5.http.ClassicHttpResponse response) {
        String h = ListHttp.header(response, "Retry-After");
        if (h != null && h.strip().matches("\\d{1,5}")) {
            return Duration.ofSeconds(Long.parseLong(h.strip()));
        }
        return rateLimitWait;
    }

    private static void sleep(Duration d) throws ListException {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ListException("interrupted");
        }
    }
}
