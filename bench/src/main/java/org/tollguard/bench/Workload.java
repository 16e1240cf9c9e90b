package org.tollguard.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The security events of a SIP scan wave, as AMI frames. Each attempt is what Asterisk 22's PJSIP sends for one
 * REGISTER with a wrong password (captured on the testbed from svcrack): {@code ChallengeSent}, then
 * {@code ChallengeResponseFailed} from the same address, port, account and session; one attempt in 500 is a
 * phone (198.51.100.20-29) that registers fine ({@code ChallengeSent}, {@code SuccessfulAuth}).
 *
 * <p>Two kinds of attacker, mixed so that {@code bannedPerSecond} addresses per second cross the default
 * threshold (5 failures within 60 s):
 * <ul>
 * <li><b>brute-forcers</b>: 64 at a time, interleaved, each trying account 1001 exactly 5 times and then falling
 *     silent, as a banned address does (198.19.0.0/16, one in ten from 2001:db8:b::/48);</li>
 * <li><b>scanners</b>: every other attempt, each from the next address of a pool of {@code pool} addresses in a
 *     scrambled order (198.18.1.0-198.18.255.255, then 2001:db8:ffff::/48), trying assorted account names: one
 *     failure per address per pass of the pool, so they fill the engine's address table without crossing a
 *     threshold.</li>
 * </ul>
 * Addresses come from the benchmarking range 198.18.0.0/15 (RFC 2544, less the testbed's 198.18.0.0/24) and the
 * documentation prefix 2001:db8::/32; no packet is ever sent to them.
 */
final class Workload {
    static final int THRESHOLD = 5;
    private static final int CONCURRENT_BRUTE = 64;
    private static final long SCRAMBLE = 2_654_435_761L;
    private static final String[] ACCOUNTS = {"1001", "100", "admin", "2000", "sip", "101", "1000", "test", "200",
        "0031201234567", "asterisk", "user", "1234", "500", "999", "guest"};
    private static final DateTimeFormatter EVENT_TV =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private final int pool;
    private final double bruteShare;
    private final String[] bruteAddress = new String[CONCURRENT_BRUTE];
    private final int[] bruteTries = new int[CONCURRENT_BRUTE];
    private int bruteSlot;
    private long bruteSources;
    private long scanCounter;
    private double bruteCredit;
    private long attempts;
    private long sessions = 2_472_395_155L;
    private long ipv4Events;
    private long ipv6Events;

    // the attempt whose second event is still to be written
    private boolean secondPending;
    private String address;
    private boolean ipv6;
    private int port;
    private String account;
    private String session;
    private boolean phone;

    private long tvMillis = -1;
    private String timestamp;
    private String eventTv;

    Workload(int pool, int bannedPerSecond, int eventsPerSecond) {
        this.pool = pool;
        double attemptsPerSecond = eventsPerSecond / 2.0;
        this.bruteShare = Math.min(1.0, bannedPerSecond * (double) THRESHOLD / attemptsPerSecond);
        for (int i = 0; i < CONCURRENT_BRUTE; i++) {
            bruteAddress[i] = nextBruteAddress();
        }
    }

    long ipv4Events() {
        return ipv4Events;
    }

    long ipv6Events() {
        return ipv6Events;
    }

    long bruteSources() {
        return bruteSources;
    }

    /** Writes the next event frame into {@code buf} at {@code pos}; returns the new end. */
    int next(byte[] buf, int pos, long nowMillis) {
        if (!secondPending) {
            startAttempt();
        }
        clock(nowMillis);
        String frame;
        if (!secondPending) {
            frame = frame("ChallengeSent", "Informational", "Challenge: \r\n");
            secondPending = true;
        } else if (phone) {
            frame = frame("SuccessfulAuth", "Informational", "UsingPassword: 1\r\n");
            secondPending = false;
        } else {
            frame = frame("ChallengeResponseFailed", "Error", "Challenge: " + (nowMillis / 1000) + "/"
                    + hex32(sessions * 31) + "\r\nResponse: " + hex32(sessions * 17 + attempts) + "\r\nExpectedResponse: \r\n");
            secondPending = false;
        }
        if (ipv6) {
            ipv6Events++;
        } else {
            ipv4Events++;
        }
        byte[] bytes = frame.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        return pos + bytes.length;
    }

    private void startAttempt() {
        attempts++;
        session = Long.toString(sessions++);
        phone = attempts % 500 == 0;
        if (phone) {
            int n = (int) (attempts / 500 % 10);
            address = "198.51.100." + (20 + n);
            ipv6 = false;
            port = 5060;
            account = Integer.toString(1001 + n % 3);
            return;
        }
        bruteCredit += bruteShare;
        if (bruteCredit >= 1.0) {
            bruteCredit -= 1.0;
            int slot = bruteSlot;
            bruteSlot = (bruteSlot + 1) % CONCURRENT_BRUTE;
            address = bruteAddress[slot];
            account = "1001";
            port = 5060;
            if (++bruteTries[slot] == THRESHOLD) {
                bruteTries[slot] = 0;
                bruteAddress[slot] = nextBruteAddress();
            }
        } else {
            long index = Math.floorMod(scanCounter++ * SCRAMBLE, (long) pool);
            address = scanAddress(index);
            account = ACCOUNTS[(int) (index % ACCOUNTS.length)];
            port = 5060 + (int) (index % 3) * 10_000;
        }
        ipv6 = address.indexOf(':') >= 0;
    }

    private String nextBruteAddress() {
        long n = bruteSources++;
        if (n % 10 == 9) {
            return "2001:db8:b::" + Long.toHexString(n / 10 + 1);
        }
        long v4 = n - n / 10;
        return "198.19." + (v4 >> 8 & 0xff) + "." + (v4 & 0xff);
    }

    private static String scanAddress(long index) {
        if (index < 255 * 256) {
            return "198.18." + (1 + index / 256) + "." + (index % 256);
        }
        return "2001:db8:ffff::" + Long.toHexString(index >> 16) + ":" + Long.toHexString(index & 0xffff);
    }

    private String frame(String event, String severity, String tail) {
        String family = ipv6 ? "IPV6" : "IPV4";
        String local = ipv6 ? "2001:db8::1" : "198.51.100.1";
        return "Event: " + event + "\r\nPrivilege: security,all\r\nTimestamp: " + timestamp
                + "\r\nSystemName: tg-pbx\r\nEventTV: " + eventTv + "\r\nSeverity: " + severity
                + "\r\nService: PJSIP\r\nEventVersion: 1\r\nAccountID: " + account + "\r\nSessionID: " + session
                + "\r\nLocalAddress: " + family + "/UDP/" + local + "/5060\r\nRemoteAddress: " + family + "/UDP/"
                + address + "/" + port + "\r\n" + tail + "\r\n";
    }

    private void clock(long nowMillis) {
        if (nowMillis != tvMillis) {
            tvMillis = nowMillis;
            eventTv = EVENT_TV.format(Instant.ofEpochMilli(nowMillis));
        }
        long micros = nowMillis * 1000 + (attempts % 1000);
        String fraction = Long.toString(1_000_000 + micros % 1_000_000);
        timestamp = (micros / 1_000_000) + "." + fraction.substring(1);
    }

    // without String.format: at 100,000 events/s the replay server would spend a core on it
    private static String hex32(long seed) {
        long a = seed * 0x9E3779B97F4A7C15L;
        long b = (seed + 1) * 0xC2B2AE3D27D4EB4FL;
        return hex16(a) + hex16(b);
    }

    private static String hex16(long v) {
        String h = Long.toHexString(v);
        return h.length() == 16 ? h : "0".repeat(16 - h.length()) + h;
    }
}
