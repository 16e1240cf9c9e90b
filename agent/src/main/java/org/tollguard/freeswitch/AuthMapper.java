package org.tollguard.freeswitch;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.freeswitch.esl.EslEvent;
import org.tollguard.freeswitch.esl.EslLogLine;
import org.tollguard.net.IpAddresses;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.AuthKind;
import org.tollguard.pbx.AuthOutcome;
import org.tollguard.pbx.PbxEventListener;

/**
 * Turns FreeSWITCH's authentication reports into {@link AuthEvent}s. Runs on the Event Socket reader thread only.
 *
 * <table>
 * <caption>What becomes what</caption>
 * <tr><td>{@code CUSTOM sofia::pre_register}</td><td>CHALLENGED: sofia_reg.c fires it as it sends a 401/407
 *     challenge, to a REGISTER or an INVITE, one per challenge (a scanner that never answers shows up nowhere
 *     else). Account: {@code to-user}, which for an INVITE is the caller's user (FreeSWITCH fills it from the
 *     From header there), so enumeration counts scanners that never answer.</td></tr>
 * <tr><td>{@code CUSTOM sofia::register_failure}</td><td>FAILED: a 403 to a REGISTER or an INVITE. Account: the
 *     REGISTER's {@code to-user}; for an INVITE {@code to-user} is the dialled number, so the account is the
 *     {@code username} of the {@code sofia::register_attempt} FreeSWITCH fired just before from the same
 *     address and port.</td></tr>
 * <tr><td>{@code CUSTOM sofia::register}</td><td>SUCCEEDED (a REGISTER that answered its challenge; feeds the
 *     trust rule). Not for blind or ACL registrations, which answer no challenge ({@code username: unknown}).</td></tr>
 * <tr><td>{@code CHANNEL_CREATE} with {@code variable_sip_auth_username}</td><td>SUCCEEDED: an INVITE that answered
 *     its challenge (FreeSWITCH fires no sofia event for it).</td></tr>
 * <tr><td>log line {@code IP X Rejected by acl "..."} (mod_event_socket.c)</td><td>FAILED, service ESL. FreeSWITCH
 *     1.10.12 neither logs nor reports a wrong Event Socket password (mod_event_socket answers {@code -ERR invalid}
 *     and closes, silently), so ACL refusals are the only Event Socket login failures there are to count; the
 *     shipped event_socket.conf.xml listens on loopback only.</td></tr>
 * </table>
 *
 * <p>The address is always the one FreeSWITCH read the packet from ({@code network-ip}, the log line's
 * {@code IP}), never a SIP header; a value that is not an IP literal is rejected with a log line. The
 * {@code SIP auth challenge} / {@code SIP auth failure} log lines ({@code log-auth-failures=true}) are not used:
 * each comes with its {@code pre_register} / {@code register_failure} event, and events keep their order where a
 * log line can arrive after the event that answered its challenge.
 *
 * <p><b>Stale nonces.</b> A request answering with a stale nonce gets a {@code register_attempt} with
 * {@code auth-result: STALE} and then a new challenge (a new {@code pre_register}) instead of an outcome: that
 * challenge answers nothing new, so it is dropped (within {@value #STALE_TTL_MILLIS} ms, per address).
 */
final class AuthMapper {
    static final String PRE_REGISTER = "sofia::pre_register";
    static final String REGISTER_FAILURE = "sofia::register_failure";
    static final String REGISTER_ATTEMPT = "sofia::register_attempt";
    static final String REGISTER = "sofia::register";

    private static final Logger log = LoggerFactory.getLogger(AuthMapper.class);
    /** mod_event_socket: "IP %s Rejected by acl \"%s\"". */
    private static final Pattern ACL_REJECTED = Pattern.compile("IP ([0-9A-Fa-f:.]+) Rejected by acl \"(.*)\"",
            Pattern.DOTALL);
    static final int STALE_TTL_MILLIS = 10_000;
    private static final int ATTEMPT_TTL_MILLIS = 30_000;
    private static final int MAX_ATTEMPTS = 4096;
    private static final int MAX_STALE_ADDRESSES = 16_384;
    private static final int MAX_STALE_PER_ADDRESS = 256;

    private final Clock clock;
    private final PbxEventListener listener;
    private final Map<String, Attempt> attempts = lru(MAX_ATTEMPTS);
    /** Per address: when register_attempts with a stale nonce came whose re-challenge has not come yet. */
    private final Map<InetAddress, ArrayDeque<Long>> stale = lru(MAX_STALE_ADDRESSES);

    private record Attempt(String username, long at) {}

    AuthMapper(Clock clock, PbxEventListener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    /** Handles the event if it is one of ours; returns false if it was not. */
    boolean onEvent(EslEvent e) {
        if (!"CUSTOM".equals(e.name()) || e.subclass() == null) {
            return false;
        }
        switch (e.subclass()) {
            case PRE_REGISTER -> preRegister(e);
            case REGISTER_FAILURE -> registerFailure(e);
            case REGISTER_ATTEMPT -> registerAttempt(e);
            case REGISTER -> register(e);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void preRegister(EslEvent e) {
        InetAddress address = address(e, "pre_register");
        if (address == null) {
            return;
        }
        ArrayDeque<Long> q = stale.get(address);
        long now = clock.millis();
        while (q != null && !q.isEmpty() && now - q.peekFirst() > STALE_TTL_MILLIS) {
            q.pollFirst();
        }
        if (q != null && !q.isEmpty()) {
            q.pollFirst();
            log.trace("re-challenge of a stale nonce address={}", IpAddresses.format(address));
            return;
        }
        emit(new AuthEvent(AuthOutcome.CHALLENGED, "pre_register", AuthKind.CHALLENGE, address, port(e), "", "SIP",
                Text.clean(Text.value(e.header("to-user"))), "", Text.clean(e.header("user-agent")),
                pbxAddress(e, address), clock.instant()));
    }

    private void registerFailure(EslEvent e) {
        InetAddress address = address(e, "register_failure");
        if (address == null) {
            return;
        }
        String type = Text.value(e.header("registration-type"));
        Attempt attempt = attempts.remove(attemptKey(e));
        String account;
        if ("INVITE".equalsIgnoreCase(type)) {
            account = attempt != null && clock.millis() - attempt.at <= ATTEMPT_TTL_MILLIS ? attempt.username : "";
        } else {
            account = Text.clean(Text.value(e.header("to-user")));
        }
        emit(new AuthEvent(AuthOutcome.FAILED, "register_failure", AuthKind.AUTH_FAILED, address, port(e), "", "SIP",
                account, "", Text.clean(e.header("user-agent")), pbxAddress(e, address), clock.instant()));
    }

    private void registerAttempt(EslEvent e) {
        InetAddress address = address(e, "register_attempt");
        if (address == null) {
            return;
        }
        String username = Text.value(e.header("username"));
        if (username != null && !username.equals("unknown")) {
            attempts.put(attemptKey(e), new Attempt(Text.clean(username), clock.millis()));
        }
        if ("STALE".equalsIgnoreCase(Text.value(e.header("auth-result")))) {
            // answered, but with a stale nonce: FreeSWITCH challenges again instead of reporting an outcome
            ArrayDeque<Long> q = stale.computeIfAbsent(address, a -> new ArrayDeque<>());
            q.addLast(clock.millis());
            while (q.size() > MAX_STALE_PER_ADDRESS) {
                q.pollFirst();
            }
        }
    }

    private void register(EslEvent e) {
        InetAddress address = address(e, "register");
        if (address == null) {
            return;
        }
        String username = Text.value(e.header("username"));
        if (username == null || username.equals("unknown")) {
            log.debug("registration without a challenge answered (blind or ACL registration) address={}",
                    IpAddresses.format(address));
            return;
        }
        emit(new AuthEvent(AuthOutcome.SUCCEEDED, "register", AuthKind.AUTHENTICATED, address, port(e), "", "SIP",
                Text.clean(username), "", Text.clean(e.header("user-agent")), pbxAddress(e, address), clock.instant()));
    }

    /** CHANNEL_CREATE of an INVITE that answered its challenge. */
    void onAuthenticatedInvite(ChannelFields channel, EslEvent e) {
        InetAddress address = channel.source();
        if (address == null) {
            return;
        }
        emit(new AuthEvent(AuthOutcome.SUCCEEDED, "invite_authorized", AuthKind.AUTHENTICATED, address,
                port(e, "variable_sip_network_port"), "", "SIP", channel.authUsername(), "",
                Text.clean(e.header("variable_sip_user_agent")), pbxAddress(e, address), clock.instant()));
    }

    void onLog(EslLogLine line) {
        if (line.file() != null && line.file().endsWith("mod_event_socket.c")) {
            Matcher m = ACL_REJECTED.matcher(line.message().strip());
            if (m.matches()) {
                aclRejected(m);
            }
        }
    }

    private void aclRejected(Matcher m) {
        InetAddress address = IpAddresses.tryParse(m.group(1));
        if (address == null || address.isAnyLocalAddress()) {
            log.warn("Event Socket ACL line rejected address=\"{}\" reason=\"not a source address\"",
                    Text.clean(m.group(1)));
            return;
        }
        emit(new AuthEvent(AuthOutcome.FAILED, "acl_rejected", AuthKind.ACL_REFUSED, address, 0, "TCP", "ESL", "",
                "", "", null, clock.instant()));
    }

    /** {@code network-ip}: the address FreeSWITCH received the request from. */
    private static InetAddress address(EslEvent e, String what) {
        String text = e.header("network-ip");
        InetAddress a = IpAddresses.tryParse(Text.value(text));
        if (a == null || a.isAnyLocalAddress()) {
            log.warn("{} event rejected network-ip=\"{}\" reason=\"not a source address\"", what, Text.clean(text));
            return null;
        }
        return a;
    }

    private static String attemptKey(EslEvent e) {
        return e.header("network-ip") + "/" + e.header("network-port") + "/" + e.header("profile-name");
    }

    private static int port(EslEvent e) {
        return port(e, "network-port");
    }

    private static int port(EslEvent e, String header) {
        try {
            int p = Integer.parseInt(String.valueOf(Text.value(e.header(header))));
            return p >= 0 && p <= 65535 ? p : 0;
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    /** FreeSWITCH's own address of the family of the source ({@code FreeSWITCH-IPv4}/{@code -IPv6}), or null. */
    private static InetAddress pbxAddress(EslEvent e, InetAddress source) {
        String header = source.getAddress().length == 4 ? "FreeSWITCH-IPv4" : "FreeSWITCH-IPv6";
        return IpAddresses.tryParse(Text.value(e.header(header)));
    }

    private void emit(AuthEvent e) {
        listener.onEvent(e);
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }
}
