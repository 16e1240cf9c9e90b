package org.tollguard.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation; a bare address is a /32 or /128.
 * Parsing never resolves names: only literal addresses are accepted.
 */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        int max = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + max);
        }
        network = mask(network, prefixLength);
    }

    @JsonCreator
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty network");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        InetAddress address = IpAddresses.parse(host);
        // ::ffff:a.b.c.d comes back as IPv4; its prefix length still counts IPv6 bits
        boolean mapped = host.contains(":") && address.getAddress().length == 4;
        int max = mapped ? 128 : address.getAddress().length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new IllegalArgumentException("'" + text + "': prefix length " + prefix + " is larger than " + max);
            }
        }
        if (mapped) {
            if (prefix < 96) {
                throw new IllegalArgumentException("'" + text + "': an IPv4-mapped network needs a prefix length of"
                        + " at least 96 (write it as IPv4: ::ffff:a.b.c.d/120 is a.b.c.d/24)");
            }
            prefix -= 96;
        }
        return new Cidr(address, prefix);
    }

    public static Cidr of(InetAddress address) {
        return new Cidr(address, address.getAddress().length * 8);
    }

    public boolean isIpv6() {
        return network.getAddress().length == 16;
    }

    public boolean isSingleAddress() {
        return prefixLength == network.getAddress().length * 8;
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        return Arrays.equals(mask(a, prefixLength), n);
    }

    @JsonValue
    @Override
    public String toString() {
        String host = IpAddresses.format(network);
        return isSingleAddress() ? host : host + "/" + prefixLength;
    }

    private static InetAddress mask(InetAddress address, int prefixLength) {
        return IpAddresses.fromBytes(mask(address.getAddress(), prefixLength));
    }

    private static byte[] mask(byte[] bytes, int prefixLength) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefixLength - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bits)));
        }
        return out;
    }
}
