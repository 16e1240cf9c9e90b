package org.tollguard.asterisk;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.tollguard.config.AsteriskConfig;

/**
 * Which Asterisk calls are outgoing (see {@link AsteriskConfig}): a call from a trunk or an inbound context never is;
 * a local account's call becomes outgoing when it dials a leg to a trunk.
 */
final class CallDirection {
    private final Set<String> trunks;
    private final Set<String> inboundContexts;

    CallDirection(List<String> trunks, List<String> inboundContexts) {
        this.trunks = Set.copyOf(trunks);
        this.inboundContexts = Set.copyOf(inboundContexts);
    }

    static CallDirection of(AsteriskConfig config) {
        return new CallDirection(config.trunks(), config.inboundContexts());
    }

    /** A call that a provider brought in: its channel is a trunk's, or it started in an inbound context. */
    boolean isInbound(String channel, String context) {
        return trunks.contains(AsteriskAccounts.endpointOf(channel)) || (context != null && inboundContexts.contains(context));
    }

    /**
     * Whether a dialled leg goes to a trunk. {@code destChannel} is the new leg ({@code PJSIP/provider-0000002a}),
     * {@code dialString} what Dial was given for it ({@code 0201234567@provider}, {@code 1002},
     * {@code 1002/sip:1002@198.51.100.20:5060}). Local channels are never trunks: the leg their other half dials
     * is judged on its own.
     */
    boolean isTrunkLeg(String destChannel, String dialString) {
        if (destChannel == null || !AsteriskAccounts.isPhoneChannel(destChannel)) {
            return false;
        }
        String endpoint = AsteriskAccounts.endpointOf(destChannel);
        if (!trunks.isEmpty()) {
            return trunks.contains(endpoint);
        }
        String asked = numberAsked(dialString);
        return asked != null && !asked.equalsIgnoreCase(endpoint);
    }

    /** Dial's application data ({@code PJSIP/0201@provider&PJSIP/1002,30,tT}): whether one of its targets is a trunk. */
    boolean dialsTrunk(String dialData) {
        if (dialData == null) {
            return false;
        }
        for (String target : dialData.split(",", 2)[0].split("&")) {
            int slash = target.indexOf('/');
            if (slash <= 0) {
                continue;
            }
            String dialString = target.substring(slash + 1);
            int endpointSlash = dialString.indexOf('/');
            int at = dialString.indexOf('@');
            String endpoint = endpointSlash >= 0 ? dialString.substring(0, endpointSlash)
                    : at >= 0 ? dialString.substring(at + 1) : dialString;
            if (isTrunkLeg(target.substring(0, slash) + "/" + endpoint + "-0", dialString)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The user part a dial string asks an endpoint for: {@code NUMBER@endpoint} → NUMBER,
     * {@code endpoint/NUMBER} and {@code endpoint/sip:NUMBER@host} → NUMBER; a bare endpoint → null.
     */
    static String numberAsked(String dialString) {
        if (dialString == null || dialString.isBlank()) {
            return null;
        }
        String d = dialString.strip();
        int slash = d.indexOf('/');
        if (slash >= 0) {
            String rest = d.substring(slash + 1);
            String lower = rest.toLowerCase(Locale.ROOT);
            if (lower.startsWith("sip:") || lower.startsWith("sips:")) {
                rest = rest.substring(rest.indexOf(':') + 1);
            }
            int at = rest.indexOf('@');
            String user = at >= 0 ? rest.substring(0, at) : rest;
            int semi = user.indexOf(';');
            user = semi >= 0 ? user.substring(0, semi) : user;
            return user.isEmpty() ? null : user;
        }
        int at = d.indexOf('@');
        return at > 0 ? d.substring(0, at) : null;
    }
}
