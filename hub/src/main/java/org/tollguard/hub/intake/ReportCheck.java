package org.tollguard.hub.intake;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.tollguard.protocol.Report;

/** Why a single report cannot be accepted, or null if it can. */
final class ReportCheck {
    static final int MAX_ID_LENGTH = 100;
    private static final int MAX_TEXT = 1000;
    /** Only literals: never a name that would be looked up in the DNS. */
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("[0-9.]{7,15}|[0-9A-Fa-f:.]{2,45}");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]+");

    private ReportCheck() {}

    static String problem(Report r) {
        if (r == null) {
            return "empty report";
        }
        if (r.id() == null || r.id().isEmpty()) {
            return "no id";
        }
        if (r.id().length() > MAX_ID_LENGTH || !PRINTABLE.matcher(r.id()).matches()) {
            return "id must be 1 to " + MAX_ID_LENGTH + " printable characters without spaces";
        }
        if (r.address() == null) {
            return "no address";
        }
        InetAddress address = parse(r.address());
        if (address == null) {
            return "address '" + shorten(r.address()) + "' is not an IPv4 or IPv6 address";
        }
        if (!isPublic(address)) {
            return "address " + r.address() + " is not a public address";
        }
        if (r.bannedAt() == null) {
            return "no banned-at";
        }
        if (r.reason() != null && r.reason().length() > MAX_TEXT) {
            return "reason is longer than " + MAX_TEXT + " characters";
        }
        return null;
    }

    static InetAddress parse(String text) {
        if (!ADDRESS_LITERAL.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Addresses that can be the source of an attack from the internet: no private, loopback or special ranges. */
    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    && first < 224;                                              // multicast, reserved, broadcast
        }
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) != 0xfc; // unique local fc00::/7
        }
        return false;
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
