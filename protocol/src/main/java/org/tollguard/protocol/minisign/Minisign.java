package org.tollguard.protocol.minisign;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Signs and verifies the way minisign does ({@code minisign -S} / {@code minisign -V}): the message is
 * prehashed with BLAKE2b-512 and signed with Ed25519; the trusted comment is signed together with that
 * signature, so it cannot be changed or moved to another file.
 */
public final class Minisign {
    private Minisign() {}

    public static MinisignSignature sign(MinisignSecretKey key, byte[] message, String untrustedComment,
                                         String trustedComment) {
        try {
            return sign(key, new ByteArrayInputStream(message), untrustedComment, trustedComment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static MinisignSignature sign(MinisignSecretKey key, InputStream message, String untrustedComment,
                                         String trustedComment) throws IOException {
        MinisignText.oneLine("the untrusted comment", untrustedComment);
        MinisignText.oneLine("the trusted comment", trustedComment);
        byte[] signature = Ed25519.sign(key.key(), Blake2b.hash512(message));
        byte[] global = Ed25519.sign(key.key(), concat(signature, trustedComment.getBytes(StandardCharsets.UTF_8)));
        return new MinisignSignature(untrustedComment, true, key.keyId(), signature, trustedComment, global);
    }

    /**
     * Checks {@code signature} on {@code message} against whichever of the {@code trusted} keys made it (two keys
     * are trusted at once while the hub's key is being rotated). Returns the verified trusted comment.
     */
    public static String verify(Collection<MinisignPublicKey> trusted, byte[] message, MinisignSignature signature)
            throws MinisignException {
        try {
            return verify(trusted, new ByteArrayInputStream(message), signature);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String verify(Collection<MinisignPublicKey> trusted, InputStream message, MinisignSignature signature)
            throws MinisignException, IOException {
        MinisignPublicKey key = trusted.stream().filter(k -> k.keyId().equals(signature.keyId())).findFirst()
                .orElseThrow(() -> new MinisignException("signed with key " + signature.keyId()
                        + ", which is not a trusted key (trusted: " + trusted.stream().map(k -> k.keyId().toString())
                        .collect(Collectors.joining(", ")) + ")"));
        byte[] signed = signature.prehashed() ? Blake2b.hash512(message) : message.readAllBytes();
        if (!Ed25519.verify(key.key(), signed, signature.signature())) {
            throw new MinisignException("the signature does not match the content (altered, or signed by another key "
                    + "with the same id)");
        }
        byte[] global = concat(signature.signature(), signature.trustedComment().getBytes(StandardCharsets.UTF_8));
        if (!Ed25519.verify(key.key(), global, signature.globalSignature())) {
            throw new MinisignException("the trusted comment is not the one that was signed");
        }
        return signature.trustedComment();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
