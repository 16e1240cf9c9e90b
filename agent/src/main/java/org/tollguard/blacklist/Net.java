package org.tollguard.blacklist;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.tollguard.net.Cidr;
import org.tollguard.net.IpAddresses;

/**
 * A network as numbers, for lists of hundreds of thousands of entries: IPv4 in the low 32 bits of {@code lo},
 * IPv6 as {@code hi}:{@code lo}. Host bits are always zero. Ordered IPv4 first, then by address (unsigned), then by
 * prefix length.
 */
record Net(boolean v6, long hi, long lo, int prefix) implements Comparable<Net> {

    Net {
        int max = v6 ? 128 : 32;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix length " + prefix + " is outside 0.." + max);
        }
        hi = v6 ? hi & hiMask(prefix) : 0;
        lo = v6 ? lo & loMask(prefix) : lo & v4Mask(prefix);
    }

    static Net of(Cidr cidr) {
        return of(cidr.network(), cidr.prefixLength());
    }

    static Net of(InetAddress address, int prefix) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return new Net(true, bytesToLong(b, 0), bytesToLong(b, 8), prefix);
        }
        return new Net(false, 0, bytesToLong(b, 0) >>> 32, prefix);
    }

    static Net of(InetAddress address) {
        return of(address, address instanceof Inet6Address ? 128 : 32);
    }

    /** Whether the two networks share an address: for prefix-aligned networks, one contains the other. */
    boolean overlaps(Net other) {
        return overlaps(other.v6, other.hi, other.lo, other.prefix);
    }

    boolean overlaps(boolean otherV6, long otherHi, long otherLo, int otherPrefix) {
        if (v6 != otherV6) {
            return false;
        }
        int p = Math.min(prefix, otherPrefix);
        if (v6) {
            return (hi & hiMask(p)) == (otherHi & hiMask(p)) && (lo & loMask(p)) == (otherLo & loMask(p));
        }
        return (lo & v4Mask(p)) == (otherLo & v4Mask(p));
    }

    Cidr toCidr() {
        return new Cidr(toAddress(v6, hi, lo), prefix);
    }

    @Override
    public String toString() {
        return format(v6, hi, lo, prefix);
    }

    @Override
    public int compareTo(Net o) {
        return compare(v6, hi, lo, prefix, o.v6, o.hi, o.lo, o.prefix);
    }

    static int compare(boolean aV6, long aHi, long aLo, int aPrefix, boolean bV6, long bHi, long bLo, int bPrefix) {
        if (aV6 != bV6) {
            return aV6 ? 1 : -1;
        }
        int c = Long.compareUnsigned(aHi, bHi);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(aLo, bLo);
        return c != 0 ? c : Integer.compare(aPrefix, bPrefix);
    }

    static long v4Mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    }

    static long hiMask(int prefix) {
        return prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
    }

    static long loMask(int prefix) {
        return prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    }

    static InetAddress toAddress(boolean v6, long hi, long lo) {
        if (!v6) {
            return IpAddresses.fromBytes(new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo});
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return IpAddresses.fromBytes(b);
    }

    /** Canonical text as ipset and nft take it: {@code 203.0.113.7}, {@code 203.0.113.0/24}, {@code 2001:db8::/32}. */
    static String format(boolean v6, long hi, long lo, int prefix) {
        StringBuilder sb = new StringBuilder(v6 ? 44 : 18);
        appendTo(sb, v6, hi, lo, prefix);
        return sb.toString();
    }

    static void appendTo(StringBuilder sb, boolean v6, long hi, long lo, int prefix) {
        if (v6) {
            sb.append(IpAddresses.format(toAddress(true, hi, lo)));
            if (prefix != 128) {
                sb.append('/').append(prefix);
            }
            return;
        }
        sb.append(lo >>> 24).append('.').append((lo >>> 16) & 0xff).append('.').append((lo >>> 8) & 0xff)
                .append('.').append(lo & 0xff);
        if (prefix != 32) {
            sb.append('/').append(prefix);
        }
    }

    private static long bytesToLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (offset + i < b.length ? b[offset + i] & 0xff : 0);
        }
        return v;
    }
}
