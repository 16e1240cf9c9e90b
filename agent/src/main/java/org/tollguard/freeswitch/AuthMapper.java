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
import org.tollguard.pbx.AuthOutcome;
import org.tollguard.pbx.PbxEventListener;

/**
 * Turns FreeSWITCH's authentication reports into {@link AuthEvent}s. Runs on the Event Socket reader thread only.
 *
 * <table>
 * <caption>What becomes what</caption>
 * <tr><td>{@code CUSTOM sofia::register_failure}</td><td>FAILED: a 403 to a REGISTER or an INVITE. Account: the
 *     REGISTER's {@code to-user}; for an INVITE {@code to-user} is the dialled number, so the account is the
 *     {@code username} of the {@code sofia::register_attempt} FreeSWITCH fired just before from the same
 *     address and port.</td></tr>
 * <tr><td>{@code CUSTOM sofia::register}</td><td>SUCCEEDED (a REGISTER that answered its challenge; feeds the
 *     trust rule). Not for blind or ACL registrations, which answer no challenge ({@code username: unknown}).</td></tr>
 * <tr><td>{@code CHANNEL_CREATE} with {@code variable_sip_auth_username}</td><td>SUCCEEDED: an INVITE that answered
 *     its challenge (FreeSWITCH fires no sofia event for it).</td></tr>
 * <tr><td>log line {@code SIP auth challenge (...) ... from ip X} (sofia_reg.c, {@code log-auth-failures=true})
 *     </td><td>CHALLENGED: a 401/407 was sent. FreeSWITCH raises no event for it; a scanner that only collects
 *     challenges shows up nowhere else. The ban engine counts it as a failure unless an answer follows.</td></tr>
 * <tr><td>log line {@code IP X Rejected by acl "..."} (mod_event_socket.c)</td><td>FAILED, service ESL. FreeSWITCH
 *     1.10.12 neither logs nor reports a wrong Event Socket password (mod_event_socket answers {@code -ERR invalid}
 *     and closes, silently), so ACL refusals are the only Event Socket login failures there are to count; the
 *     shipped event_socket.conf.xml listens on loopback only.</td></tr>
 * </table>
 *
 * <p>The address is always the one FreeSWITCH read the packet from ({@code network-ip}, the log line's
 * {@code from ip}), never a SIP header; a value that is not an IP literal is rejected with a log line. The
 * {@code SIP auth failure} log lines are not used: every one of them comes with a {@code register_failure}.
 *
 * <p><b>Keeping challenges and answers in order.</b> mod_event_socket sends at most one log line per pass of its
 * loop but every queued event, so under load a challenge's log line can arrive after the register or
 * register_failure that answered it; and a stale nonce is answered by a new challenge, not by an event. Either
 * way the ban engine would see a challenge nobody answers. So per address we keep the challenges passed on but
 * not yet answered, and "credits": answers that came with no challenge outstanding, and
 * {@code register_attempt}s with {@code auth-result: STALE}. A challenge line that meets a credit (younger than
 * {@value #CREDIT_TTL_MILLIS} ms) was already answered and is dropped.
 */
final class AuthMapper {
    static final String REGISTER_FAILURE = "sofia::register_failure";
    static final String REGISTER_ATTEMPT = "sofia::register_attempt";
    static final String REGISTER = "sofia::register";

    private static final Logger log = LoggerFactory.getLogger(AuthMapper.class);
    /** FreeSWITCH: "SIP auth %s (%s) on sofia profile '%s' for [%s@%s] from ip %s". User and host are from the
     * request; the address, last on the line, is FreeSWITCH's own, so it is taken from the end. */
    private static final Pattern CHALLENGE = Pattern.compile(
            "SIP auth challenge \\((REGISTER|INVITE)\\) on sofia profile '([^']*)' for \\[(.*)\\] from ip ([0-9A-Fa-f:.]+)",
            Pattern.DOTALL);
    /** mod_event_socket: "IP %s Rejected by acl \"%s\"". */
    private static final Pattern ACL_REJECTED = Pattern.compile("IP ([0-9A-Fa-f:.]+) Rejected by acl \"(.*)\"",
            Pattern.DOTALL);
    static final int CREDIT_TTL_MILLIS = 10_000;
    private static final int PENDING_TTL_MILLIS = 30_000;
    private static final int ATTEMPT_TTL_MILLIS = 30_000;
    private static final int MAX_ATTEMPTS = 4096;
    private static final int MAX_LEDGERS = 16_384;
    private static final int MAX_PER_LEDGER = 256;

    private final Clock clock;
    private final PbxEventListener listener;
    private final Map<String, Attempt> attempts = lru(MAX_ATTEMPTS);
    private final Map<InetAddress, Ledger> ledgers = lru(MAX_LEDGERS);

    private record Attempt(String username, long at) {}

    /** Challenges passed on and not yet answered, and answers that came before their challenge's line. */
    private static final class Ledger {
        final ArrayDeque<Long> pending = new ArrayDeque<>();
        final ArrayDeque<Long> credits = new ArrayDeque<>();

        void expire(long now) {
            while (!pending.isEmpty() && now - pending.peekFirst() > PENDING_TTL_MILLIS) {
                pending.pollFirst();
            }
            while (!credits.isEmpty() && now - credits.peekFirst() > CREDIT_TTL_MILLIS) {
                credits.pollFirst();
            }
        }
    }

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
            case REGISTER_FAILURE -> registerFailure(e);
            case REGISTER_ATTEMPT -> registerAttempt(e);
            case REGISTER -> register(e);
            default -> {
                return false;
            }
        }
        return true;
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
        answered(address);
        emit(new AuthEvent(AuthOutcome.FAILED, "register_failure", address, port(e), "", "SIP", account, "",
                Text.clean(e.header("user-agent")), pbxAddress(e, address), clock.instant()));
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
            Ledger l = ledger(address);
            l.credits.addLast(clock.millis());
            trim(l.credits);
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
        answered(address);
        emit(new AuthEvent(AuthOutcome.SUCCEEDED, "register", address, port(e), "", "SIP", Text.clean(username), "",
                Text.clean(e.header("user-agent")), pbxAddress(e, address), clock.instant()));
    }

    /** CHANNEL_CREATE of an INVITE that answered its challenge. */
    void onAuthenticatedInvite(ChannelFields channel, EslEvent e) {
        InetAddress address = channel.source();
        if (address == null) {
            return;
        }
        answered(address);
        emit(new AuthEvent(AuthOutcome.SUCCEEDED, "invite_authorized", address, port(e, "variable_sip_network_port"),
                "", "SIP", channel.authUsername(), "", Text.clean(e.header("variable_sip_user_agent")),
                pbxAddress(e, address), clock.instant()));
    }

    void onLog(EslLogLine line) {
        String file = line.file() == null ? "" : line.file();
        if (file.endsWith("sofia_reg.c")) {
            String message = line.message().strip();
            Matcher m = CHALLENGE.matcher(message);
            if (m.matches()) {
                challenge(m);
            } else if (message.startsWith("SIP auth challenge")) {
                log.warn("SIP auth challenge line not understood, not counted line=\"{}\"", Text.clean(message));
            }
        } else if (file.endsWith("mod_event_socket.c")) {
            Matcher m = ACL_REJECTED.matcher(line.message().strip());
            if (m.matches()) {
                aclRejected(m);
            }
        }
    }

    private void challenge(Matcher m) {
        InetAddress address = IpAddresses.tryParse(m.group(4));
        if (address == null || address.isAnyLocalAddress()) {
            log.warn("SIP auth challenge line rejected address=\"{}\" reason=\"not a source address\"",
                    Text.clean(m.group(4)));
            return;
        }
        Ledger l = ledger(address);
        long now = clock.millis();
        l.expire(now);
        if (!l.credits.isEmpty()) {
            l.credits.pollFirst();
            log.trace("challenge already answered address={}", IpAddresses.format(address));
            return;
        }
        l.pending.addLast(now);
        trim(l.pending);
        String account = "";
        if (m.group(1).equals("REGISTER")) {
            String target = m.group(3);
            int at = target.lastIndexOf('@');
            account = Text.clean(at < 0 ? target : target.substring(0, at));
        }
        emit(new AuthEvent(AuthOutcome.CHALLENGED, "auth_challenge", address, 0, "", "SIP", account, "", "", null,
                clock.instant()));
    }

    private void aclRejected(Matcher m) {
        InetAddress address = IpAddresses.tryParse(m.group(1));
        if (address == null || address.isAnyLocalAddress()) {
            log.warn("Event Socket ACL line rejected address=\"{}\" reason=\"not a source address\"",
                    Text.clean(m.group(1)));
            return;
        }
        emit(new AuthEvent(AuthOutcome.FAILED, "acl_rejected", address, 0, "TCP", "ESL", "", "",
                "", null, clock.instant()));
    }

    /** An answer (success or failure) to a challenge from this address. */
    private void answered(InetAddress address) {
        Ledger l = ledger(address);
        long now = clock.millis();
        l.expire(now);
        if (!l.pending.isEmpty()) {
            l.pending.pollFirst();
        } else {
            l.credits.addLast(now);
            trim(l.credits);
        }
    }

    private Ledger ledger(InetAddress address) {
        return ledgers.computeIfAbsent(address, a -> new Ledger());
    }

    private static void trim(ArrayDeque<Long> q) {
        while (q.size() > MAX_PER_LEDGER) {
            q.pollFirst();
        }
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
