package org.tollguard.blacklist;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.tollguard.net.Cidr;

/**
 * An immutable community list: networks with an optional expiry and reason each, sorted (IPv4 first) and unique,
 * held in parallel primitive arrays: about 20 bytes an entry, so a 400,000-entry list costs 8 MB of heap where
 * {@link Cidr} objects would cost 40.
 */
public final class NetList {
    private static final NetList EMPTY = new NetList(0, new long[0], new long[0], new byte[0], null, null, new String[] {null});
    private static final int MAGIC = 0x54474e4c; // "TGNL"
    private static final int FORMAT = 1;

    private final int v4Count;
    private final long[] hi;
    private final long[] lo;
    private final byte[] prefix;
    /** Epoch seconds; 0 for no expiry. Null when no entry expires. */
    private final long[] expires;
    /** Index into {@link #reasons}; 0 for none. Null when no entry has a reason. */
    private final short[] reason;
    private final String[] reasons;

    private NetList(int v4Count, long[] hi, long[] lo, byte[] prefix, long[] expires, short[] reason, String[] reasons) {
        this.v4Count = v4Count;
        this.hi = hi;
        this.lo = lo;
        this.prefix = prefix;
        this.expires = expires;
        this.reason = reason;
        this.reasons = reasons;
    }

    public static NetList empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A list of {@code networks} without expiry or reason. */
    public static NetList of(Collection<Cidr> networks) {
        Builder b = builder();
        for (Cidr c : networks) {
            b.add(Net.of(c), 0, null);
        }
        return b.build();
    }

    public int size() {
        return prefix.length;
    }

    public boolean isEmpty() {
        return prefix.length == 0;
    }

    public int ipv4Count() {
        return v4Count;
    }

    public int ipv6Count() {
        return prefix.length - v4Count;
    }

    boolean isV6(int i) {
        return i >= v4Count;
    }

    Net net(int i) {
        return new Net(isV6(i), hi[i], lo[i], (prefix[i] & 0xff));
    }

    /** Expiry of entry {@code i} in epoch seconds, 0 if it does not expire. */
    long expires(int i) {
        return expires == null ? 0 : expires[i];
    }

    String reason(int i) {
        return reason == null ? null : reasons[reason[i]];
    }

    public Cidr cidr(int i) {
        return net(i).toCidr();
    }

    /** The entry's network as ipset and nft write it. */
    public String text(int i) {
        return Net.format(isV6(i), hi[i], lo[i], (prefix[i] & 0xff));
    }

    /** Whether the list has exactly this network (not: a network containing it). */
    public boolean contains(Cidr cidr) {
        return indexOf(Net.of(cidr)) >= 0;
    }

    /** Whether any entry's network contains the address. */
    public boolean matches(java.net.InetAddress address) {
        Net a = Net.of(address);
        int from = a.v6() ? v4Count : 0;
        int to = a.v6() ? size() : v4Count;
        for (int i = from; i < to; i++) {
            if (a.overlaps(isV6(i), hi[i], lo[i], (prefix[i] & 0xff))) {
                return true;
            }
        }
        return false;
    }

    int indexOf(Net n) {
        int low = 0;
        int high = size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = Net.compare(isV6(mid), hi[mid], lo[mid], (prefix[mid] & 0xff), n.v6(), n.hi(), n.lo(), n.prefix());
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The networks as {@link Cidr}s, made one at a time while iterating (nothing is copied). */
    public Collection<Cidr> asCidrs() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<Cidr> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size();
                    }

                    @Override
                    public Cidr next() {
                        if (next >= size()) {
                            throw new NoSuchElementException();
                        }
                        return cidr(next++);
                    }
                };
            }

            @Override
            public int size() {
                return NetList.this.size();
            }
        };
    }

    /** The earliest expiry (epoch seconds) of any entry, 0 if none expires. */
    public long nextExpiry() {
        long min = 0;
        if (expires != null) {
            for (long e : expires) {
                if (e != 0 && (min == 0 || e < min)) {
                    min = e;
                }
            }
        }
        return min;
    }

    /** This list without the entries expired at {@code nowEpochSecond}; this same list if none has. */
    public NetList withoutExpired(long nowEpochSecond) {
        if (expires == null) {
            return this;
        }
        int keep = 0;
        for (long e : expires) {
            if (e == 0 || e > nowEpochSecond) {
                keep++;
            }
        }
        if (keep == size()) {
            return this;
        }
        Builder b = new Builder(keep);
        for (int i = 0; i < size(); i++) {
            if (expires[i] == 0 || expires[i] > nowEpochSecond) {
                b.addRow(this, i);
            }
        }
        return b.buildSorted();
    }

    /**
     * This list with {@code changes} applied in order: an add puts the network in (with the change's expiry and
     * reason), a remove takes it out; the last change of a network wins.
     */
    public NetList apply(List<Change> changes) {
        Map<Net, Change> last = new HashMap<>();
        for (Change c : changes) {
            last.put(c.net(), c);
        }
        List<Map.Entry<Net, Change>> sorted = new ArrayList<>(last.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        Builder b = new Builder(size() + sorted.size());
        int i = 0;
        for (Map.Entry<Net, Change> e : sorted) {
            Net n = e.getKey();
            while (i < size() && Net.compare(isV6(i), hi[i], lo[i], (prefix[i] & 0xff), n.v6(), n.hi(), n.lo(), n.prefix()) < 0) {
                b.addRow(this, i++);
            }
            if (i < size() && Net.compare(isV6(i), hi[i], lo[i], (prefix[i] & 0xff), n.v6(), n.hi(), n.lo(), n.prefix()) == 0) {
                i++; // replaced or removed
            }
            if (e.getValue().add()) {
                b.add(n, e.getValue().expires(), e.getValue().reason());
            }
        }
        while (i < size()) {
            b.addRow(this, i++);
        }
        return b.buildSorted();
    }

    /** What turns {@code from} into {@code to}: the networks to add and those to remove (metadata ignored). */
    public static Diff diff(NetList from, NetList to) {
        Builder added = new Builder(16);
        Builder removed = new Builder(16);
        int i = 0;
        int j = 0;
        while (i < from.size() || j < to.size()) {
            int c = i >= from.size() ? 1 : j >= to.size() ? -1
                    : Net.compare(from.isV6(i), from.hi[i], from.lo[i], (from.prefix[i] & 0xff),
                            to.isV6(j), to.hi[j], to.lo[j], (to.prefix[j] & 0xff));
            if (c < 0) {
                removed.addRow(from, i++);
            } else if (c > 0) {
                added.addRow(to, j++);
            } else {
                i++;
                j++;
            }
        }
        return new Diff(added.buildSorted(), removed.buildSorted());
    }

    /** Networks to add and to remove. */
    public record Diff(NetList added, NetList removed) {
        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty();
        }
    }

    /** One incremental change of a list. */
    public record Change(boolean add, Net net, long expires, String reason) {}

    // --- storage ---

    /** Writes the list compactly (deflated binary), for the store. */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(Math.max(64, size() * 6));
        try {
            writeTo(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    public void writeTo(OutputStream out) throws IOException {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DataOutputStream d = new DataOutputStream(new java.io.BufferedOutputStream(
                new DeflaterOutputStream(out, deflater, 1 << 16), 1 << 16))) {
            d.writeInt(MAGIC);
            d.writeInt(FORMAT);
            d.writeInt(v4Count);
            d.writeInt(size() - v4Count);
            d.writeInt(reasons.length);
            for (int r = 1; r < reasons.length; r++) {
                d.writeUTF(reasons[r]);
            }
            d.writeBoolean(expires != null);
            d.writeBoolean(reason != null);
            for (int i = 0; i < size(); i++) {
                if (isV6(i)) {
                    d.writeLong(hi[i]);
                    d.writeLong(lo[i]);
                } else {
                    d.writeInt((int) lo[i]);
                }
                d.writeByte((prefix[i] & 0xff));
                if (expires != null) {
                    d.writeLong(expires[i]);
                }
                if (reason != null) {
                    d.writeShort(reason[i]);
                }
            }
        } finally {
            deflater.end();
        }
    }

    public static NetList fromBytes(byte[] bytes) throws IOException {
        return readFrom(new java.io.ByteArrayInputStream(bytes));
    }

    public static NetList readFrom(InputStream in) throws IOException {
        try (DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(new InflaterInputStream(in), 1 << 16))) {
            if (d.readInt() != MAGIC || d.readInt() != FORMAT) {
                throw new IOException("not a stored list of this version");
            }
            int n4 = d.readInt();
            int n6 = d.readInt();
            int reasonCount = d.readInt();
            if (n4 < 0 || n6 < 0 || reasonCount < 1 || reasonCount > Short.MAX_VALUE) {
                throw new IOException("corrupt stored list header");
            }
            String[] reasons = new String[reasonCount];
            for (int r = 1; r < reasonCount; r++) {
                reasons[r] = d.readUTF();
            }
            boolean hasExpires = d.readBoolean();
            boolean hasReasons = d.readBoolean();
            int n = n4 + n6;
            long[] hi = new long[n];
            long[] lo = new long[n];
            byte[] prefix = new byte[n];
            long[] expires = hasExpires ? new long[n] : null;
            short[] reason = hasReasons ? new short[n] : null;
            for (int i = 0; i < n; i++) {
                if (i >= n4) {
                    hi[i] = d.readLong();
                    lo[i] = d.readLong();
                } else {
                    lo[i] = d.readInt() & 0xFFFF_FFFFL;
                }
                prefix[i] = d.readByte();
                if (hasExpires) {
                    expires[i] = d.readLong();
                }
                if (hasReasons) {
                    reason[i] = d.readShort();
                    if (reason[i] < 0 || reason[i] >= reasonCount) {
                        throw new IOException("corrupt stored list entry " + i);
                    }
                }
            }
            return new NetList(n4, hi, lo, prefix, expires, reason, reasons);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetList other && v4Count == other.v4Count && Arrays.equals(hi, other.hi)
                && Arrays.equals(lo, other.lo) && Arrays.equals(prefix, other.prefix);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lo) * 31 + Arrays.hashCode(prefix);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NetList[").append(size()).append(':');
        for (int i = 0; i < Math.min(size(), 5); i++) {
            sb.append(' ').append(text(i));
        }
        return sb.append(size() > 5 ? " ...]" : "]").toString();
    }

    /**
     * Collects entries in any order; {@link #build()} sorts them and merges duplicates (a permanent entry wins over
     * an expiring one, otherwise the later expiry wins). Counts the duplicates it merged.
     */
    public static final class Builder {
        private static final int MAX_ROWS = 1 << 25;

        private long[] hi;
        private long[] lo;
        private byte[] prefix;
        private boolean[] v6;
        private long[] expires;
        private short[] reason;
        private final Map<String, Short> reasonIndex = new HashMap<>();
        private final List<String> reasons = new ArrayList<>(List.of(""));
        private int n;
        private int n4;
        private int duplicates;

        private Builder() {
            this(1024);
        }

        private Builder(int capacity) {
            capacity = Math.max(16, capacity);
            hi = new long[capacity];
            lo = new long[capacity];
            prefix = new byte[capacity];
            v6 = new boolean[capacity];
        }

        public int size() {
            return n;
        }

        /** Entries dropped by {@link #build()} as duplicates of another. */
        public int duplicates() {
            return duplicates;
        }

        Builder add(Net net, long expiresEpochSecond, String why) {
            return add(net.v6(), net.hi(), net.lo(), net.prefix(), expiresEpochSecond, why);
        }

        Builder add(boolean isV6, long h, long l, int p, long expiresEpochSecond, String why) {
            if (n == hi.length) {
                if (n >= MAX_ROWS) {
                    throw new IllegalStateException("a list of more than " + MAX_ROWS + " entries");
                }
                int capacity = Math.min(MAX_ROWS, n * 2);
                hi = Arrays.copyOf(hi, capacity);
                lo = Arrays.copyOf(lo, capacity);
                prefix = Arrays.copyOf(prefix, capacity);
                v6 = Arrays.copyOf(v6, capacity);
                if (expires != null) {
                    expires = Arrays.copyOf(expires, capacity);
                }
                if (reason != null) {
                    reason = Arrays.copyOf(reason, capacity);
                }
            }
            hi[n] = h;
            lo[n] = l;
            prefix[n] = (byte) p;
            v6[n] = isV6;
            if (!isV6) {
                n4++;
            }
            if (expiresEpochSecond != 0) {
                if (expires == null) {
                    expires = new long[hi.length];
                }
                expires[n] = expiresEpochSecond;
            }
            if (why != null && !why.isEmpty()) {
                Short index = reasonIndex.get(why);
                if (index == null && reasons.size() < Short.MAX_VALUE) {
                    index = (short) reasons.size();
                    reasons.add(why);
                    reasonIndex.put(why, index);
                }
                if (index != null) {
                    if (reason == null) {
                        reason = new short[hi.length];
                    }
                    reason[n] = index;
                }
            }
            n++;
            return this;
        }

        private void addRow(NetList from, int i) {
            add(from.isV6(i), from.hi[i], from.lo[i], (from.prefix[i] & 0xff), from.expires(i), from.reason(i));
        }

        /** Sorts and merges duplicates. */
        public NetList build() {
            int[] order = order();
            return collect(order);
        }

        /** For rows added in order already (derived from sorted lists). */
        private NetList buildSorted() {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            return collect(order);
        }

        private int[] order() {
            int[] order = new int[n];
            // IPv4: address, prefix and row packed into one long, sorted as primitives
            long[] keys = new long[n4];
            int k = 0;
            List<Integer> v6Rows = new ArrayList<>(n - n4);
            for (int i = 0; i < n; i++) {
                if (v6[i]) {
                    v6Rows.add(i);
                } else {
                    keys[k++] = (lo[i] << 31) | ((long) (prefix[i] & 0xff) << 25) | i;
                }
            }
            Arrays.sort(keys);
            for (int i = 0; i < keys.length; i++) {
                order[i] = (int) (keys[i] & ((1 << 25) - 1));
            }
            v6Rows.sort((a, b) -> Net.compare(true, hi[a], lo[a], (prefix[a] & 0xff), true, hi[b], lo[b], (prefix[b] & 0xff)));
            for (int i = 0; i < v6Rows.size(); i++) {
                order[n4 + i] = v6Rows.get(i);
            }
            return order;
        }

        private NetList collect(int[] order) {
            int unique = 0;
            for (int k = 0; k < n; k++) {
                if (k == 0 || !sameNet(order[k - 1], order[k])) {
                    unique++;
                }
            }
            long[] h = new long[unique];
            long[] l = new long[unique];
            byte[] p = new byte[unique];
            long[] e = expires == null ? null : new long[unique];
            short[] r = reason == null ? null : new short[unique];
            int count4 = 0;
            int out = -1;
            for (int k = 0; k < n; k++) {
                int row = order[k];
                if (out >= 0 && sameNet(order[k - 1], row)) {
                    duplicates++;
                    if (e != null) {
                        long a = e[out];
                        long b = expires[row];
                        e[out] = a == 0 || b == 0 ? 0 : Math.max(a, b);
                    }
                    if (r != null && r[out] == 0) {
                        r[out] = reason[row];
                    }
                    continue;
                }
                out++;
                h[out] = hi[row];
                l[out] = lo[row];
                p[out] = prefix[row];
                if (e != null) {
                    e[out] = expires[row];
                }
                if (r != null) {
                    r[out] = reason[row];
                }
                if (!v6[row]) {
                    count4++;
                }
            }
            if (unique == 0) {
                return EMPTY;
            }
            if (e != null && Arrays.stream(e).allMatch(x -> x == 0)) {
                e = null;
            }
            return new NetList(count4, h, l, p, e, r, r == null ? new String[] {null} : reasonsArray());
        }

        private String[] reasonsArray() {
            String[] out = reasons.toArray(String[]::new);
            out[0] = null;
            return out;
        }

        private boolean sameNet(int a, int b) {
            return v6[a] == v6[b] && hi[a] == hi[b] && lo[a] == lo[b] && (prefix[a] & 0xff) == (prefix[b] & 0xff);
        }
    }
}
