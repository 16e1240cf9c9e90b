package org.tollguard.protocol.minisign;

import java.io.IOException;
import java.io.InputStream;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/** BLAKE2b (BouncyCastle's): 512 bits to prehash what minisign signs, 256 bits for its key checksum. */
final class Blake2b {
    private Blake2b() {}

    static byte[] hash(int bits, byte[]... parts) {
        Blake2bDigest digest = new Blake2bDigest(bits);
        for (byte[] part : parts) {
            digest.update(part, 0, part.length);
        }
        byte[] out = new byte[bits / 8];
        digest.doFinal(out, 0);
        return out;
    }

    static byte[] hash512(InputStream in) throws IOException {
        Blake2bDigest digest = new Blake2bDigest(512);
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        byte[] out = new byte[64];
        digest.doFinal(out, 0);
        return out;
    }
}
