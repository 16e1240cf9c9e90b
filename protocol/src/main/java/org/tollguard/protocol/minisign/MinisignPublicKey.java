package org.tollguard.protocol.minisign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

/** A minisign public key: {@code Ed} + key id + the 32-byte Ed25519 key, as in a {@code minisign.pub} file. */
public final class MinisignPublicKey {
    private static final int BYTES = 2 + KeyId.BYTES + Ed25519.KEY_BYTES;

    private final KeyId keyId;
    private final byte[] encoded;
    private final PublicKey key;

    MinisignPublicKey(KeyId keyId, byte[] encoded) throws MinisignException {
        this.keyId = keyId;
        this.encoded = encoded.clone();
        this.key = Ed25519.publicKey(encoded);
    }

    public KeyId keyId() {
        return keyId;
    }

    PublicKey key() {
        return key;
    }

    /** The one-line form ({@code RWQ...}): what {@code minisign -P} takes and a config file pins. */
    public String base64() {
        byte[] bytes = new byte[BYTES];
        bytes[0] = 'E';
        bytes[1] = 'd';
        System.arraycopy(keyId.bytes(), 0, bytes, 2, KeyId.BYTES);
        System.arraycopy(encoded, 0, bytes, 2 + KeyId.BYTES, Ed25519.KEY_BYTES);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The file form, as {@code minisign -G} writes it. */
    public String fileText() {
        return MinisignText.UNTRUSTED + "minisign public key " + keyId + "\n" + base64() + "\n";
    }

    /** Reads the one-line form or a whole {@code .pub} file. */
    public static MinisignPublicKey parse(String text) throws MinisignException {
        String stripped = text.strip();
        String line = stripped.startsWith(MinisignText.UNTRUSTED)
                ? MinisignText.lines("public key", stripped, 2).get(1) : stripped;
        byte[] bytes = MinisignText.base64("public key", line, BYTES);
        if (bytes[0] != 'E' || bytes[1] != 'd') {
            throw new MinisignException("public key: not an Ed25519 minisign key (it must start with 'Ed')");
        }
        return new MinisignPublicKey(new KeyId(Arrays.copyOfRange(bytes, 2, 2 + KeyId.BYTES)),
                Arrays.copyOfRange(bytes, 2 + KeyId.BYTES, BYTES));
    }

    public static MinisignPublicKey read(Path file) throws MinisignException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new MinisignException(file + ": cannot read: " + e.getMessage(), e);
        } catch (MinisignException e) {
            throw new MinisignException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinisignPublicKey other && keyId.equals(other.keyId) && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }

    @Override
    public String toString() {
        return "minisign public key " + keyId;
    }
}
