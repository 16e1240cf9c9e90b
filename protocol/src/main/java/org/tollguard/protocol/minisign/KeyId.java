package org.tollguard.protocol.minisign;

import java.util.Arrays;
import java.util.HexFormat;

/** minisign's 8-byte key number; shown as minisign shows it (the bytes read as a little-endian number, hex). */
public record KeyId(byte[] bytes) {
    static final int BYTES = 8;

    public KeyId {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a key id is 8 bytes");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        byte[] reversed = new byte[BYTES];
        for (int i = 0; i < BYTES; i++) {
            reversed[i] = bytes[BYTES - 1 - i];
        }
        return HexFormat.of().withUpperCase().formatHex(reversed);
    }
}
