package org.tollguard.testbed;

import org.tollguard.support.Ports;
import org.tollguard.support.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.tollguard.Agent;
import org.tollguard.yamlconfig.ConfigException;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.firewall.Firewall;
import org.tollguard.firewall.FirewallException;
import org.tollguard.firewall.Firewalls;

/** Starts the real agent against the testbed: AMI over the management link, bans in the PBX namespace. */
public final class AgentHarness {
    private AgentHarness() {}

    /** The agent's config for the testbed, written as an operator would write it; {@code extra} adds sections. */
    public static TollguardConfig config(Path dir, FirewallConfig.Backend backend, String extra) {
        return config(dir, backend, extra, "");
    }

    /** The same, with {@code asteriskExtra} (indented lines) added to the {@code asterisk:} section. */
    public static TollguardConfig config(Path dir, FirewallConfig.Backend backend, String extra, String asteriskExtra) {
        return config(dir, Testbed.AMI_HOST, Testbed.PBX_NETNS, backend, extra, asteriskExtra);
    }

    /** The same for the PBX whose AMI is at {@code amiHost} and whose firewall is in {@code netns} (PBX B). */
    public static TollguardConfig config(Path dir, String amiHost, String netns, FirewallConfig.Backend backend,
                                         String extra) {
        return config(dir, amiHost, netns, backend, extra, "");
    }

    private static TollguardConfig config(Path dir, String amiHost, String netns, FirewallConfig.Backend backend,
                                          String extra, String asteriskExtra) {
        String yaml = """
                store:
                  path: %s
                api:
                  port: %d
                  token-file: %s
                asterisk:
                  host: %s
                  secret: %s
                  reconnect-max: 2s
                %sfirewall:
                  backend: %s
                  netns: %s
                metrics:
                  port: %d
                %s
                """.formatted(dir.resolve("tollguard.db"), Ports.freePort(), dir.resolve("api.token"), amiHost,
                Testbed.AMI_SECRET, asteriskExtra, backend.name().toLowerCase(), netns, Ports.freePort(), extra);
        if (!extra.contains("calls:")) {
            yaml += "calls:\n  pre-dial:\n    port: " + Ports.freePort() + "\n";
        }
        try {
            return ConfigLoader.parse("test config", yaml);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
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
        return agent.bans().active().stream()
                .filter(a -> a.enforcement().state() == org.tollguard.decision.Enforcement.State.HELD)
                .map(a -> a.decision()).filter(d -> d.target().text().equals(address)).findFirst().orElse(null);
    }

    /** Removes our firewall objects from the PBX namespace. */
    public static void tearDownFirewall(TollguardConfig config) throws FirewallException {
        Firewall firewall = Firewalls.create(config.firewall());
        firewall.tearDown();
    }

    public static Path tempDir() throws IOException {
        return Files.createTempDirectory("tollguard-it");
    }
}
