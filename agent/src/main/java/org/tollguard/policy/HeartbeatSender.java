package org.tollguard.policy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.Version;
import org.tollguard.calls.AccountControl;
import org.tollguard.calls.CallView;
import org.tollguard.protocol.Heartbeat;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.spend.SpendStatus;

/** Builds the heartbeat from what the agent holds now and posts it to the hub; a hub that is away is only logged. */
public final class HeartbeatSender {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatSender.class);

    private final URI uri;
    private final String credential;
    private final AccountControl accounts;
    private final HealthWatch health;
    private final LivePolicy policy;
    private final String firewall;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public HeartbeatSender(URI hub, String credential, AccountControl accounts, HealthWatch health, LivePolicy policy,
                           String firewall) {
        this.uri = hub.resolve(HubPaths.HEARTBEAT);
        this.credential = credential;
        this.accounts = accounts;
        this.health = health;
        this.policy = policy;
        this.firewall = firewall;
    }

    public Heartbeat build(List<CallView> calls) {
        List<Heartbeat.LiveCall> live = calls.stream().filter(CallView::outgoing)
                .map(c -> new Heartbeat.LiveCall(c.account(), c.destination(), c.category(), c.started(), c.answered()))
                .toList();
        List<Heartbeat.AccountSpend> spend = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        for (String account : accounts.known()) {
            AccountControl.AccountView view = accounts.view(account);
            if (view.blocked()) {
                blocked.add(account);
            }
            SpendStatus s = view.spend();
            if (s != null) {
                spend.add(new Heartbeat.AccountSpend(account, s.today(), s.baseline(), s.threshold(), s.currency()));
            }
        }
        return new Heartbeat(ProtocolJson.VERSION, Version.get(),
                new Heartbeat.Health(health.pbxConnected(), firewall, 0, health.listSynced(), policy.version(),
                        policy.lastSync(), policy.problem()),
                new Heartbeat.Summary(live, spend, blocked, health.recentAlerts()));
    }

    public void send(List<CallView> calls) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + credential).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.mapper().writeValueAsBytes(build(calls))))
                    .build();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 204) {
                log.warn("heartbeat: the hub answered {}: {}", answer.statusCode(), answer.body());
            }
        } catch (IOException e) {
            log.warn("heartbeat: the hub cannot be reached: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
