package org.tollguard.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.tollguard.net.IpAddresses;
import org.tollguard.yamlconfig.Durations;
import org.tollguard.yamlconfig.ScalarText;
import org.tollguard.yamlconfig.Secret;
import org.tollguard.yamlconfig.Checks;

/**
 * {@code freeswitch:} the Event Socket connection to FreeSWITCH and the pre-dial check it calls.
 *
 * @param enabled        connect to FreeSWITCH; default false
 * @param host           where mod_event_socket listens; default 127.0.0.1
 * @param port           its port; default 8021
 * @param password       the password of event_socket.conf.xml; required when enabled
 * @param logLevel       the level of FreeSWITCH's log streamed over the socket for the Event Socket ACL
 *                       refusals ({@code IP X Rejected by acl}, logged at WARNING): WARNING, NOTICE, INFO or DEBUG;
 *                       default WARNING
 * @param connectTimeout how long one connection attempt may take; default 5s
 * @param reconnectMax   the reconnect back-off grows from 1s up to this; default 60s
 * @param preDial        the server FreeSWITCH's {@code socket} application calls before dialling out
 * @param trunkLegPrefixes channel-name prefixes of the legs FreeSWITCH creates towards a provider: a local
 *                       account's call is outgoing, and judged, only once it has such a leg (an outbound leg with
 *                       {@code sip_gateway_name} always counts as one); default {@code sofia/gateway/} and
 *                       {@code sofia/external/} (stock FreeSWITCH and FusionPBX put their gateways on the
 *                       {@code external} profile); an empty list leaves the gateway legs only
 */
public record FreeSwitchConfig(
        Boolean enabled,
        String host,
        Integer port,
        Secret password,
        @JsonDeserialize(using = ScalarText.class) String logLevel,
        Duration connectTimeout,
        Duration reconnectMax,
        PreDial preDial,
        List<String> trunkLegPrefixes) {

    /** FreeSWITCH's log levels, 0 to 7. */
    private static final List<String> LEVELS =
            List.of("CONSOLE", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG");
    private static final int WARNING = 4;
    public static final List<String> DEFAULT_TRUNK_LEG_PREFIXES = List.of("sofia/gateway/", "sofia/external/");

    public FreeSwitchConfig {
        enabled = enabled == null ? Boolean.FALSE : enabled;
        host = host == null ? "127.0.0.1" : host.strip();
        port = port == null ? 8021 : port;
        password = password == null ? new Secret("") : password;
        logLevel = logLevel == null ? "WARNING" : level(logLevel);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        reconnectMax = reconnectMax == null ? Duration.ofSeconds(60) : reconnectMax;
        preDial = preDial == null ? PreDial.defaults() : preDial;
        trunkLegPrefixes = trunkLegPrefixes == null ? DEFAULT_TRUNK_LEG_PREFIXES : prefixes(trunkLegPrefixes);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        Checks.port("port", port);
        if (enabled && password.isEmpty()) {
            throw new IllegalArgumentException("password: set the Event Socket password (the 'password' param of"
                    + " FreeSWITCH's event_socket.conf.xml)");
        }
        String pw = password.value() == null ? "" : password.value();
        if (pw.indexOf('\n') >= 0 || pw.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("password must be one line");
        }
        Checks.positive("connect-timeout", connectTimeout);
        Checks.positive("reconnect-max", reconnectMax);
        if (reconnectMax.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("reconnect-max must be at least 1s");
        }
    }

    public static FreeSwitchConfig defaults() {
        return new FreeSwitchConfig(null, null, null, null, null, null, null, null, null);
    }

    private static List<String> prefixes(List<String> list) {
        Checks.noEmptyEntries("trunk-leg-prefixes", list);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).isBlank()) {
                throw new IllegalArgumentException("trunk-leg-prefixes[" + i + "]: is empty (write a channel-name"
                        + " prefix such as sofia/gateway/)");
            }
        }
        return List.copyOf(list);
    }

    private static String level(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        int n = LEVELS.indexOf(s);
        if (n < 0 && s.matches("[0-7]")) {
            n = Integer.parseInt(s);
        }
        if (n < 0) {
            throw new IllegalArgumentException("log-level: '" + text + "' is not a FreeSWITCH log level"
                    + " (write WARNING, NOTICE, INFO or DEBUG)");
        }
        if (n < WARNING) {
            throw new IllegalArgumentException("log-level: " + LEVELS.get(n) + " would hide the Event Socket ACL"
                    + " refusals, which FreeSWITCH logs at WARNING (write WARNING, NOTICE, INFO or DEBUG)");
        }
        return LEVELS.get(n);
    }

    /**
     * {@code freeswitch.pre-dial:} the agent's end of the outbound Event Socket: the dialplan include
     * ({@code freeswitch-conf/}) runs {@code socket LISTEN:PORT} before the bridge, and the agent answers allow or
     * deny.
     *
     * @param enabled listen for pre-dial checks; default true (only while {@code freeswitch.enabled})
     * @param listen  the address to listen on, an IP literal; default 127.0.0.1. Connections are accepted only from
     *                loopback and from {@code freeswitch.host}
     * @param port    default 8462; must match the include's {@code socket} address
     * @param timeout how long a check may take; a check not answered in time gets no verdict, and the include
     *                applies its fail mode (open: the call goes ahead, closed: it is refused); default 1s
     */
    public record PreDial(Boolean enabled, String listen, Integer port, Duration timeout) {
        public PreDial {
            enabled = enabled == null ? Boolean.TRUE : enabled;
            listen = listen == null ? "127.0.0.1" : listen.strip();
            port = port == null ? 8462 : port;
            timeout = timeout == null ? Duration.ofSeconds(1) : timeout;
            if (IpAddresses.tryParse(listen) == null) {
                throw new IllegalArgumentException("listen: '" + listen + "' is not an IP address"
                        + " (write e.g. 127.0.0.1 or ::1)");
            }
            Checks.port("port", port);
            Checks.positive("timeout", timeout);
            if (timeout.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("timeout: " + Durations.format(timeout) + " is too long: every"
                        + " outgoing call waits for it (at most 30s; the check itself takes milliseconds)");
            }
        }

        public static PreDial defaults() {
            return new PreDial(null, null, null, null);
        }
    }
}
