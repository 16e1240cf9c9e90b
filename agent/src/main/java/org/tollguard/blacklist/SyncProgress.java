package org.tollguard.blacklist;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** How far a running sync is, for {@code tollguard sync}'s progress bar. Written by the sync, read by the API. */
public final class SyncProgress {
    private volatile String phase = "starting";
    private volatile long bytes;
    private volatile long totalBytes = -1;
    private volatile int entries;
    private volatile long responseAt;

    public static SyncProgress none() {
        return new SyncProgress();
    }

    void phase(String value) {
        phase = value;
    }

    void entries(int value) {
        entries = value;
    }

    void totalBytes(long value) {
        totalBytes = value;
    }

    /** The first response of the sync arrived now (its body is read from here on). */
    void responseArrived() {
        if (responseAt == 0) {
            responseAt = System.nanoTime();
        }
    }

    /** {@link System#nanoTime()} when the first response arrived, 0 if none did. */
    long responseAt() {
        return responseAt;
    }

    /** A view of {@code in} that counts what is read through it. */
    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytes++;
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                int n = super.read(buffer, off, len);
                if (n > 0) {
                    bytes += n;
                }
                return n;
            }
        };
    }

    public View view() {
        return new View(phase, bytes, totalBytes, entries);
    }

    /**
     * @param phase      starting, downloading, checking, applying, storing
     * @param bytes      body bytes read so far (after gzip)
     * @param totalBytes the body's length when the server said it (and did not compress it), else -1
     * @param entries    lines or entries read so far
     */
    public record View(String phase, long bytes, long totalBytes, int entries) {}
}
