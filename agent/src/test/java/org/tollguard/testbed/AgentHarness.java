package org.tollguard.testbed;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.tollguard.Agent;
import org.tollguard.config.ApiConfig;
import org.tollguard.config.AsteriskConfig;
import org.tollguard.config.BanConfig;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.LogConfig;
import org.tollguard.config.Secret;
import org.tollguard.config.StoreConfig;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.firewall.Firewall;
import org.tollguard.firewall.FirewallException;
import org.tollguard.firewall.Firewalls;

/** Starts the real agent against the testbed: AMI over the management link, bans in the PBX namespace. */
public final class AgentHarness {
    private AgentHarness() {}

    public static TollguardConfig config(Path dir, FirewallConfig.Backend backend, BanConfig ban) {
        return new TollguardConfig(
                new LogConfig(LogConfig.Level.INFO),
                new StoreConfig(dir.resolve("tollguard.db")),
                new ApiConfig("127.0.0.1", freePort(), dir.resolve("api.token")),
                new AsteriskConfig(true, Testbed.AMI_HOST, 5038, "tollguard", new Secret(Testbed.AMI_SECRET),
                        Duration.ofSeconds(5), Duration.ofSeconds(2)),
                ban,
                new FirewallConfig(backend, Testbed.PBX_NETNS, List.of(), null),
                null);
    }

    public static Agent start(TollguardConfig config) throws Exception {
        Agent agent = Agent.start(config, Clock.systemUTC());
        Wait.until(Duration.ofSeconds(20), () -> agent.ami().isConnected(), "AMI connection");
        return agent;
    }

    /** The first active ban of {@code address}, waiting up to {@code max} for it. */
    public static Decision awaitBan(Agent agent, String address, Duration max) {
        Wait.until(max, () -> banOf(agent, address) != null, () -> "a ban of " + address);
        return banOf(agent, address);
    }

    public static Decision banOf(Agent agent, String address) {
        return agent.bans().active().stream().filter(d -> d.target().equals(address)).findFirst().orElse(null);
    }

    /** Removes our firewall objects from the PBX namespace. */
    public static void tearDownFirewall(TollguardConfig config) throws FirewallException {
        Firewall firewall = Firewalls.create(config.firewall());
        firewall.tearDown();
    }

    public static Path tempDir() throws IOException {
        return Files.createTempDirectory("tollguard-it");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
