package org.tollguard.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.tollguard.yamlconfig.Checks;

/**
 * {@code calls:} the call policy: limits per account, group and default, the PBX-wide cap, the pre-dial
 * server and the backstop.
 *
 * @param defaults          limits for every account
 * @param groups            named groups (a customer with many extensions): their accounts and limits
 * @param accounts          limits of single accounts
 * @param pbxMaxConcurrent  outgoing calls at once on the whole PBX (0: no limit)
 * @param onForeignNetwork  what a successful login from outside an account's allowed networks does
 * @param preDial           the FastAGI server the dialplan include asks
 * @param onUnknownSource   a call of an account with allowed networks whose source address the PBX did not give:
 *                          allow it, allow it with an alert (default), or refuse it
 */
public record CallsConfig(
        CallLimits defaults,
        Map<String, Group> groups,
        Map<String, CallLimits> accounts,
        Integer pbxMaxConcurrent,
        ForeignNetworkAction onForeignNetwork,
        PreDial preDial,
        UnknownSourceAction onUnknownSource) {

    public enum UnknownSourceAction {
        @JsonProperty("allow") ALLOW,
        @JsonProperty("alert") ALERT,
        @JsonProperty("refuse") REFUSE
    }

    public enum ForeignNetworkAction {
        @JsonProperty("alert") ALERT,
        @JsonProperty("ban-address") BAN_ADDRESS,
        @JsonProperty("block-account") BLOCK_ACCOUNT
    }

    public CallsConfig {
        defaults = defaults == null ? CallLimits.builtIn() : defaults.over(CallLimits.builtIn());
        groups = groups == null ? Map.of() : Map.copyOf(groups);
        accounts = accounts == null ? Map.of() : Map.copyOf(accounts);
        pbxMaxConcurrent = pbxMaxConcurrent == null ? 0 : pbxMaxConcurrent;
        onForeignNetwork = onForeignNetwork == null ? ForeignNetworkAction.ALERT : onForeignNetwork;
        preDial = preDial == null ? new PreDial(null, null, null) : preDial;
        onUnknownSource = onUnknownSource == null ? UnknownSourceAction.ALERT : onUnknownSource;
        Checks.atLeast("pbx-max-concurrent", pbxMaxConcurrent, 0);
        Map<String, String> seen = new java.util.HashMap<>();
        for (Map.Entry<String, Group> g : groups.entrySet()) {
            for (String account : g.getValue().accounts()) {
                String other = seen.put(account, g.getKey());
                if (other != null) {
                    throw new IllegalArgumentException("account " + account + " is in two groups: " + other + " and " + g.getKey());
                }
            }
        }
    }

    public static CallsConfig builtIn() {
        return new CallsConfig(null, null, null, null, null, null, null);
    }

    /** The group of each account that is in one. */
    public Map<String, String> groupOf() {
        Map<String, String> out = new java.util.HashMap<>();
        groups.forEach((name, group) -> group.accounts().forEach(account -> out.put(account, name)));
        return out;
    }

    /** A group: its member accounts and their shared limits. */
    public record Group(List<String> accounts, CallLimits limits) {
        public Group {
            accounts = accounts == null ? List.of() : List.copyOf(accounts);
            limits = limits == null ? CallLimits.inheritAll() : limits;
        }
    }

    /**
     * The FastAGI server of the pre-dial check.
     *
     * @param listen address to listen on (where Asterisk connects from: loopback when on the same host)
     * @param port   FastAGI port (Asterisk's default is 4573)
     * @param timeout how long a check may take before the call is allowed with a warning
     */
    public record PreDial(String listen, Integer port, Duration timeout) {
        public PreDial {
            listen = listen == null ? "127.0.0.1" : listen;
            port = port == null ? 4573 : port;
            timeout = timeout == null ? Duration.ofMillis(500) : timeout;
            Checks.port("port", port);
            Checks.positive("timeout", timeout);
        }
    }
}
