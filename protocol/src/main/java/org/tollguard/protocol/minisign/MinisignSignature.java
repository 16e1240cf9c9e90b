package org.tollguard.protocol.minisign;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A {@code .minisig} file: untrusted comment, algorithm ({@code ED}: the message prehashed with BLAKE2b-512, as
 * minisign signs by default; {@code Ed}: legacy, the message itself) + key id + signature, trusted comment, and
 * the global signature over signature + trusted comment.
 */
public record MinisignSignature(String untrustedComment, boolean prehashed, KeyId keyId, byte[] signature,
                                String trustedComment, byte[] globalSignature) {
    private static final int BYTES = 2 + KeyId.BYTES + Ed25519.SIGNATURE_BYTES;
    /** minisign's own limit. */
    static final int TRUSTED_COMMENT_MAX = 8192;

    public MinisignSignature {
        signature = signature.clone();
        globalSignature = globalSignature.clone();
    }

    public String fileText() {
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.put((byte) 'E').put((byte) (prehashed ? 'D' : 'd')).put(keyId.bytes()).put(signature);
        Base64.Encoder base64 = Base64.getEncoder();
        return MinisignText.UNTRUSTED + untrustedComment + "\n" + base64.encodeToString(b.array()) + "\n"
                + MinisignText.TRUSTED + trustedComment + "\n" + base64.encodeToString(globalSignature) + "\n";
    }

    public static MinisignSignature parse(String text) throws MinisignException {
        List<String> lines = MinisignText.lines("signature", text, 4);
        byte[] bytes = MinisignText.base64("signature", lines.get(1), BYTES);
        boolean prehashed;
        if (bytes[0] == 'E' && bytes[1] == 'D') {
            prehashed = true;
        } else if (bytes[0] == 'E' && bytes[1] == 'd') {
            prehashed = false;
        } else {
            throw new MinisignException("signature: unknown algorithm (expected ED or Ed)");
        }
        if (!lines.get(2).startsWith(MinisignText.TRUSTED)) {
            throw new MinisignException("signature: the third line must start with '" + MinisignText.TRUSTED.strip() + "'");
        }
        String trusted = lines.get(2).substring(MinisignText.TRUSTED.length());
        if (trusted.length() > TRUSTED_COMMENT_MAX) {
            throw new MinisignException("signature: the trusted comment is longer than " + TRUSTED_COMMENT_MAX);
        }
        return new MinisignSignature(lines.get(0).substring(MinisignText.UNTRUSTED.length()), prehashed,
                new KeyId(Arrays.copyOfRange(bytes, 2, 2 + KeyId.BYTES)), Arrays.copyOfRange(bytes, 2 + KeyId.BYTES, BYTES),
                trusted, MinisignText.base64("signature: global signature", lines.get(3), Ed25519.SIGNATURE_BYTES));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinisignSignature s && s.fileText().equals(fileText());
    }

    @Override
    public int hashCode() {
        return fileText().hashCode();
    }

    @Override
    public String toString() {
        return "minisign signature by " + keyId + ": " + trustedComment;
    }
}
