package org.tollguard.hub.listing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Checks an operator's address or CIDR before it goes to the database: literals only, sane prefix length. */
public final class Networks {
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}(/\\d{1,3})?");

    private Networks() {}

    /** What is wrong with {@code network}, or null. */
    public static String problem(String network) {
        if (network == null || !LITERAL.matcher(network).matches()) {
            return "'" + network + "' is not an IPv4 or IPv6 address or network";
        }
        int slash = network.indexOf('/');
        String address = slash < 0 ? network : network.substring(0, slash);
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return "'" + network + "' is not an IPv4 or IPv6 address or network";
        }
        if (slash >= 0) {
            int bits = Integer.parseInt(network.substring(slash + 1));
            int max = parsed.getAddress().length * 8;
            int min = max == 32 ? 8 : 16;
            if (bits < min || bits > max) {
                return "'" + network + "': the prefix length must be between " + min + " and " + max;
            }
        }
        return null;
    }
}
