package org.tollguard.testbed;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tollguard.Agent;
import org.tollguard.config.TollguardConfig;

/**
 * An agent beside the testbed's Asterisk for call tests: the testbed up before the class, and after each test the
 * agent closed, the given dialplan globals reset, every channel hung up and the agent's firewall objects removed.
 * Register it static: {@code @RegisterExtension static final TestbedAgent testbed = new TestbedAgent();}.
 */
final class TestbedAgent implements BeforeAllCallback, AfterEachCallback {
    private final List<String> resets;
    private TollguardConfig config;
    private Agent agent;

    /** @param resets Asterisk CLI commands that undo what a test set (e.g. a dialplan global) */
    TestbedAgent(String... resets) {
        this.resets = List.of(resets);
    }

    Agent start(TollguardConfig config) throws Exception {
        this.config = config;
        this.agent = AgentHarness.start(config);
        return agent;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Testbed.up();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (agent != null) {
            agent.close();
            agent = null;
        }
        resets.forEach(Testbed::cli);
        Testbed.cli("channel request hangup all");
        if (config != null) {
            AgentHarness.tearDownFirewall(config);
            config = null;
        }
    }
}
