package org.tollguard.pbx;

import java.net.InetAddress;
import org.tollguard.net.IpAddresses;

/**
 * A socket address as PBXs report it: {@code IPV4/UDP/203.0.113.7/5060} or {@code IPV6/TCP/2001:db8::1/5060}
 * (Asterisk's security events). Split on {@code /}; IPv6 with or without brackets. An IPv4-mapped IPv6 address
 * (a dual-stack listener) yields the IPv4 address.
 */
public record RemoteAddress(InetAddress address, String transport, int port) {

    /** Parses Asterisk's form; throws {@link IllegalArgumentException} naming what is wrong. */
    public static RemoteAddress parseAsterisk(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no RemoteAddress");
        }
        String[] parts = text.strip().split("/", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("RemoteAddress '" + text + "' is not FAMILY/TRANSPORT/ADDRESS/PORT");
        }
        String family = parts[0].toUpperCase();
        if (!family.equals("IPV4") && !family.equals("IPV6")) {
            throw new IllegalArgumentException("RemoteAddress '" + text + "' has unknown family '" + parts[0] + "' (expected IPV4 or IPV6)");
        }
        String host = parts[2];
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress address;
        try {
            address = IpAddresses.parse(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RemoteAddress '" + text + "' has no valid address: " + e.getMessage());
        }
        // an IPv4 peer on a dual-stack (IPv6) socket is reported as IPV6 ::ffff:a.b.c.d; it is an IPv4 source
        boolean writtenAsV6 = host.contains(":");
        if (writtenAsV6 != family.equals("IPV6")) {
            throw new IllegalArgumentException("RemoteAddress '" + text + "': address does not match family " + parts[0]);
        }
        if (!digits(parts[3], 5)) {
            throw new IllegalArgumentException("RemoteAddress '" + text + "' has no valid port");
        }
        int port = Integer.parseInt(parts[3]);
        if (port > 65535) {
            throw new IllegalArgumentException("RemoteAddress '" + text + "' has port out of range");
        }
        return new RemoteAddress(address, parts[1].toUpperCase(), port);
    }

    private static boolean digits(String s, int max) {
        if (s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
