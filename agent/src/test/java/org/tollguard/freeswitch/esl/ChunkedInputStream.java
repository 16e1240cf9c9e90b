package org.tollguard.freeswitch.esl;

import java.io.InputStream;

/** Delivers its bytes like a socket delivers torn TCP segments: a read never crosses the next cut. */
final class ChunkedInputStream extends InputStream {
    private final byte[] data;
    private final int[] cuts;
    private int pos;
    private int nextCut;

    /** Cuts at the given ascending offsets. */
    ChunkedInputStream(byte[] data, int... cuts) {
        this.data = data;
        this.cuts = cuts;
    }

    /** A stream that returns one byte per read. */
    static ChunkedInputStream oneByteAtATime(byte[] data) {
        int[] cuts = new int[Math.max(0, data.length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return new ChunkedInputStream(data, cuts);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos >= data.length) {
            return -1;
        }
        while (nextCut < cuts.length && cuts[nextCut] <= pos) {
            nextCut++;
        }
        int limit = nextCut < cuts.length ? cuts[nextCut] : data.length;
        int n = Math.min(len, limit - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }
}
