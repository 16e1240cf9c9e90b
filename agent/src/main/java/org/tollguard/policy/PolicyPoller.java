package org.tollguard.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ListRejectedException;
import org.tollguard.protocol.PolicyVerifier;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.SignedPolicy;
import org.tollguard.protocol.SitePolicy;

/**
 * Asks the hub for this site's policy, conditionally ({@code If-None-Match} on the version held), verifies what it
 * gets against the pinned keys, the site and the version in force, keeps it on disk and applies it. A policy that
 * fails any check is refused with an alert and the last good one stays; with the hub away nothing changes.
 */
public final class PolicyPoller {
    private static final Logger log = LoggerFactory.getLogger(PolicyPoller.class);
    private static final int MAX_BODY = 1 << 20;

    private final URI policyUri;
    private final String credential;
    private final long site;
    private final PolicyVerifier verifier;
    private final PolicyFile file;
    private final LivePolicy live;
    private final Consumer<String> alert;
    private final Clock clock;
    private final HttpClient http;
    private final Duration timeout;

    public PolicyPoller(URI hub, String credential, long site, PolicyVerifier verifier, PolicyFile file,
                        LivePolicy live, Consumer<String> alert, Clock clock, Duration timeout) {
        this.policyUri = hub.resolve(HubPaths.POLICY);
        this.credential = credential;
        this.site = site;
        this.verifier = verifier;
        this.file = file;
        this.live = live;
        this.alert = alert;
        this.clock = clock;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Applies the policy kept on disk, if it still verifies (at start, before the hub is asked). */
    public void restore() {
        try {
            Optional<SitePolicy> kept = file.readVerified(verifier, site);
            if (kept.isPresent()) {
                checkReadable(kept.get());
                live.apply(kept.get(), clock.instant());
                log.info("hub policy version {} restored from {}", live.version(), file.path());
            }
        } catch (IOException | ListRejectedException e) {
            refuse("the kept hub policy " + file.path() + " cannot be used: " + e.getMessage());
        }
    }

    /** One poll; never throws (a hub that is away leaves the policy in force as it is). */
    public void poll() {
        HttpResponse<byte[]> answer;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(policyUri).timeout(timeout).GET()
                    .header("Authorization", "Bearer " + credential);
            if (live.current() != null) {
                request.header("If-None-Match", "\"policy-" + live.version() + "\"");
            }
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            log.warn("hub policy: the hub cannot be reached ({}); version {} stays in force", e.toString(),
                    live.version());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (answer.statusCode() == 304) {
            live.synced(clock.instant());
            return;
        }
        if (answer.statusCode() != 200) {
            log.warn("hub policy: the hub answered {}; version {} stays in force", answer.statusCode(), live.version());
            return;
        }
        try {
            if (answer.body().length > MAX_BODY) {
                throw new ListRejectedException("policy answer of " + answer.body().length + " bytes is too large");
            }
            SignedPolicy signed = readSigned(answer.body());
            SitePolicy policy = verifier.verify(signed, site, live.version());
            checkReadable(policy);
            if (policy.version() == live.version()) {
                live.synced(clock.instant());
                return;
            }
            file.write(signed);
            live.apply(policy, clock.instant());
            log.info("hub policy version {} applied", policy.version());
        } catch (ListRejectedException e) {
            refuse("hub policy refused, version " + live.version() + " stays in force: " + e.getMessage());
        } catch (IOException e) {
            refuse("hub policy not applied, it cannot be kept in " + file.path() + ": " + e.getMessage());
        }
    }

    private static void checkReadable(SitePolicy policy) throws ListRejectedException {
        try {
            HubLayer.check(policy);
        } catch (IllegalArgumentException e) {
            throw new ListRejectedException("policy version " + policy.version() + " holds a value this agent cannot "
                    + "apply: " + e.getMessage(), e);
        }
    }

    private static SignedPolicy readSigned(byte[] body) throws ListRejectedException {
        try {
            return ProtocolJson.mapper().readValue(body, SignedPolicy.class);
        } catch (JsonProcessingException e) {
            throw new ListRejectedException("policy answer is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ListRejectedException("policy answer cannot be read: " + e.getMessage(), e);
        }
    }

    private void refuse(String why) {
        log.error(why);
        live.refused(why);
        alert.accept(why);
    }
}
