package org.tollguard.freeswitch;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.tollguard.net.IpAddresses;

/**
 * What tollguard reads from a FreeSWITCH channel, from the headers of its CHANNEL_* events or of the channel data
 * the outbound socket sends: both carry the same names ({@code Unique-ID}, {@code Caller-*}, {@code variable_*}).
 *
 * <p><b>Which legs are calls.</b> A call is counted once, on the leg that entered the dialplan from outside
 * FreeSWITCH: {@code Call-Direction: inbound} (a phone dialling in), not in an inbound context ({@code public},
 * where providers' calls arrive). Not counted: outbound legs (the b-leg FreeSWITCH creates for a {@code bridge},
 * or an {@code originate} leg), and both halves of a {@code loopback/} channel (FreeSWITCH-internal plumbing for
 * forwarding and ring groups: the loopback b-leg is "inbound" but is the same call as the leg that bridged to it).
 * A counted leg is only a candidate: it becomes an outgoing call, the only kind tollguard judges, when FreeSWITCH
 * creates a leg to a provider for it ({@link CallDirection}, {@link #createdFor()}, {@link #loopbackFrom()});
 * calls between extensions never do.
 *
 * <p><b>Account.</b> {@code variable_accountcode} if set (FusionPBX sets it per tenant or extension); else the
 * directory user the caller authenticated as, {@code variable_user_name@variable_domain_name}; else, for a caller
 * FreeSWITCH authorised (an ACL'd trunk), {@code variable_sip_from_user@} the domain or
 * {@code variable_sip_from_host}. An unauthenticated caller's From header is whatever the attacker wrote, so it
 * never names an account: such calls have account "".
 */
final class ChannelFields {
    private final Function<String, String> headers;

    ChannelFields(Function<String, String> headers) {
        this.headers = headers;
    }

    private String get(String name) {
        return Text.value(headers.apply(name));
    }

    String uuid() {
        return get("Unique-ID");
    }

    /**
     * Dialplan contexts of calls from gateways: vanilla FreeSWITCH and FusionPBX route inbound DIDs through
     * {@code public}. Such a call is inbound, never judged, whatever it bridges to.
     */
    static final java.util.Set<String> INBOUND_CONTEXTS = java.util.Set.of("public");

    /** Counts as a call (see the class comment): a leg a phone placed, not a provider's inbound call. */
    boolean isCountedLeg() {
        String context = get("Caller-Context");
        if (context != null && INBOUND_CONTEXTS.contains(context)) {
            return false;
        }
        if (!"inbound".equalsIgnoreCase(direction())) {
            return false;
        }
        String name = channelName();
        return get("variable_loopback_leg") == null && (name == null || !name.startsWith("loopback/"));
    }

    /** {@code inbound} (it came to FreeSWITCH, or is a loopback b-leg) or {@code outbound} (FreeSWITCH created it). */
    String direction() {
        String direction = get("Call-Direction");
        return direction != null ? direction : get("Caller-Direction");
    }

    String channelName() {
        return get("Channel-Name");
    }

    /** The gateway mod_sofia sent this leg to, or null. */
    String gatewayName() {
        return get("variable_sip_gateway_name");
    }

    /**
     * The legs this leg was created for, nearest first: {@code Channel-Call-UUID} (a b-leg gets its originator's),
     * {@code variable_originating_leg_uuid}, and {@code Other-Leg-Unique-ID} when the other leg is the originator.
     * Entries may be null or this leg's own id.
     */
    List<String> createdFor() {
        String otherLeg = "originator".equalsIgnoreCase(get("Other-Type")) ? get("Other-Leg-Unique-ID") : null;
        return Arrays.asList(get("Channel-Call-UUID"), get("variable_originating_leg_uuid"), otherLeg);
    }

    /** For the b-half of a {@code loopback/} channel: the leg that bridged to its a-half; else null. */
    String loopbackFrom() {
        return get("variable_other_loopback_from_uuid");
    }

    String account() {
        String accountcode = get("variable_accountcode");
        if (accountcode != null) {
            return Text.clean(accountcode);
        }
        String domain = get("variable_domain_name");
        String user = get("variable_user_name");
        if (user != null) {
            return Text.clean(domain == null ? user : user + "@" + domain);
        }
        String fromUser = get("variable_sip_from_user");
        if (fromUser != null && "true".equalsIgnoreCase(get("variable_sip_authorized"))) {
            String host = domain != null ? domain : get("variable_sip_from_host");
            return Text.clean(host == null ? fromUser : fromUser + "@" + host);
        }
        return "";
    }

    String caller() {
        return Text.clean(get("Caller-Caller-ID-Number"));
    }

    String destination() {
        return Text.clean(get("Caller-Destination-Number"));
    }

    /** The signalling source FreeSWITCH read the packets from: {@code variable_sip_network_ip}, else the caller
     * profile's network address; null for local channels. */
    InetAddress source() {
        InetAddress a = IpAddresses.tryParse(get("variable_sip_network_ip"));
        return a != null ? a : IpAddresses.tryParse(get("Caller-Network-Addr"));
    }

    /** A caller that answered a digest challenge for this INVITE (not one let in by an ACL). */
    boolean isDigestAuthenticated() {
        return "true".equalsIgnoreCase(get("variable_sip_authorized")) && get("variable_sip_auth_username") != null;
    }

    String authUsername() {
        String realm = get("variable_sip_auth_realm");
        String user = get("variable_sip_auth_username");
        return Text.clean(user == null ? null : realm == null ? user : user + "@" + realm);
    }

    /** The pre-dial check ran for this leg: it set {@code tollguard_result} (allow, deny or error). */
    boolean wasPreDialChecked() {
        return get("variable_tollguard_result") != null;
    }

    /** {@code variable_billsec}, or -1. */
    long billableSeconds() {
        try {
            String s = get("variable_billsec");
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code variable_hangup_cause_q850}, else the number of {@code Hangup-Cause}, else 0. */
    int cause() {
        String q850 = get("variable_hangup_cause_q850");
        if (q850 != null) {
            try {
                return Integer.parseInt(q850);
            } catch (NumberFormatException e) {
                // fall through to the name
            }
        }
        return HangupCauses.code(get("Hangup-Cause"));
    }
}
