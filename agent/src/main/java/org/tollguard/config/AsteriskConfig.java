package org.tollguard.config;

import java.time.Duration;
import java.util.List;
import org.tollguard.yamlconfig.Checks;
import org.tollguard.yamlconfig.Secret;

/**
 * {@code asterisk:} the AMI connection, and how calls are told apart.
 *
 * <p>Only outgoing calls are judged: a call of a local account that dials a leg to a trunk. A leg is to a trunk if
 * its endpoint is in {@code trunks}; with no {@code trunks} listed, if the dial string hands an endpoint a number
 * other than its own name ({@code PJSIP/0201234567@provider}, {@code SIP/provider/0201234567}) rather than ringing
 * an endpoint ({@code PJSIP/1002}). A call that comes from a trunk or starts in one of {@code inboundContexts} is
 * inbound and never judged, whatever it dials.
 *
 * @param trunks          PJSIP/SIP/IAX2 endpoint names of the providers; default none (told by the dial string)
 * @param inboundContexts dialplan contexts that calls from providers start in; default FreePBX's and the usual ones
 * @param resyncInterval  how often the live calls are listed again besides after every (re)connect, so a call
 *                        whose events were missed is found and a call whose Hangup was missed leaves; default 60s
 */
public record AsteriskConfig(
        Boolean enabled,
        String host,
        Integer port,
        String username,
        Secret secret,
        Duration connectTimeout,
        Duration reconnectMax,
        List<String> trunks,
        List<String> inboundContexts,
        Duration resyncInterval) {

    public static final List<String> DEFAULT_INBOUND_CONTEXTS =
            List.of("from-trunk", "from-pstn", "from-external", "from-did-direct");

    public AsteriskConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 5038 : port;
        username = username == null ? "tollguard" : username;
        secret = secret == null ? new Secret("") : secret;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        reconnectMax = reconnectMax == null ? Duration.ofSeconds(30) : reconnectMax;
        trunks = trunks == null ? List.of() : List.copyOf(trunks);
        inboundContexts = inboundContexts == null ? DEFAULT_INBOUND_CONTEXTS : List.copyOf(inboundContexts);
        resyncInterval = resyncInterval == null ? Duration.ofSeconds(60) : resyncInterval;
        Checks.positive("resync-interval", resyncInterval);
        Checks.port("port", port);
        Checks.positive("connect-timeout", connectTimeout);
        Checks.positive("reconnect-max", reconnectMax);
    }

    public static AsteriskConfig defaults() {
        return new AsteriskConfig(null, null, null, null, null, null, null, null, null, null);
    }
}
