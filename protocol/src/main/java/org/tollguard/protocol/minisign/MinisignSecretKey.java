package org.tollguard.protocol.minisign;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * A minisign secret key in the unencrypted form ({@code minisign -G -W}): {@code Ed}, no KDF, {@code B2}, an
 * unused KDF salt and limits, the key id, libsodium's 64-byte secret key (seed + public key) and a BLAKE2b-256
 * checksum. The hub signs unattended, so the file is protected by its mode (0600) and not by a password.
 */
public final class MinisignSecretKey {
    private static final int SALT = 32;
    private static final int LIMITS = 16;
    private static final int CHECKSUM = 32;
    private static final int SECRET = 64;
    private static final int BYTES = 2 + 2 + 2 + SALT + LIMITS + KeyId.BYTES + SECRET + CHECKSUM;

    private final KeyId keyId;
    private final byte[] seed;
    private final PrivateKey key;
    private final MinisignPublicKey publicKey;

    private MinisignSecretKey(KeyId keyId, byte[] seed, byte[] publicKey) throws MinisignException {
        this.keyId = keyId;
        this.seed = seed.clone();
        this.key = Ed25519.privateKey(seed);
        this.publicKey = new MinisignPublicKey(keyId, publicKey);
    }

    public static MinisignSecretKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
            byte[] id = new byte[KeyId.BYTES];
            new SecureRandom().nextBytes(id);
            return new MinisignSecretKey(new KeyId(id), seed, Ed25519.encode(pair.getPublic()));
        } catch (GeneralSecurityException | MinisignException e) {
            throw new IllegalStateException("the JDK cannot make an Ed25519 key", e);
        }
    }

    public KeyId keyId() {
        return keyId;
    }

    public MinisignPublicKey publicKey() {
        return publicKey;
    }

    PrivateKey key() {
        return key;
    }

    public String fileText() {
        byte[] secret = secret();
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.put((byte) 'E').put((byte) 'd').put(new byte[2]).put((byte) 'B').put((byte) '2');
        b.put(new byte[SALT + LIMITS]);
        b.put(keyId.bytes()).put(secret).put(checksum(keyId, secret));
        return MinisignText.UNTRUSTED + "minisign secret key " + keyId + " (unencrypted)\n"
                + Base64.getEncoder().encodeToString(b.array()) + "\n";
    }

    public static MinisignSecretKey parse(String text) throws MinisignException {
        byte[] bytes = MinisignText.base64("secret key", MinisignText.lines("secret key", text.strip(), 2).get(1), BYTES);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] signatureAlgorithm = take(b, 2);
        byte[] kdf = take(b, 2);
        byte[] checksumAlgorithm = take(b, 2);
        take(b, SALT + LIMITS);
        KeyId keyId = new KeyId(take(b, KeyId.BYTES));
        byte[] secret = take(b, SECRET);
        byte[] checksum = take(b, CHECKSUM);
        if (signatureAlgorithm[0] != 'E' || signatureAlgorithm[1] != 'd' || checksumAlgorithm[0] != 'B'
                || checksumAlgorithm[1] != '2') {
            throw new MinisignException("secret key: not an Ed25519 minisign secret key");
        }
        if (kdf[0] != 0 || kdf[1] != 0) {
            throw new MinisignException("secret key: it is encrypted with a password; the hub needs an unencrypted "
                    + "key (tollguard-hub keygen, or minisign -G -W)");
        }
        // minisign 0.11 leaves the checksum of an unencrypted key zero; any other value must be right
        if (!Arrays.equals(checksum, new byte[CHECKSUM])
                && !MessageDigest.isEqual(checksum, checksum(keyId, secret))) {
            throw new MinisignException("secret key: checksum does not match (the file is damaged)");
        }
        MinisignSecretKey key = new MinisignSecretKey(keyId, Arrays.copyOf(secret, 32), Arrays.copyOfRange(secret, 32, 64));
        byte[] probe = "tollguard key check".getBytes(StandardCharsets.US_ASCII);
        if (!Ed25519.verify(key.publicKey.key(), probe, Ed25519.sign(key.key, probe))) {
            throw new MinisignException("secret key: its public half does not belong to it (the file is damaged)");
        }
        return key;
    }

    public static MinisignSecretKey read(Path file) throws MinisignException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new MinisignException(file + ": cannot read: " + e.getMessage(), e);
        } catch (MinisignException e) {
            throw new MinisignException(file + ": " + e.getMessage(), e);
        }
    }

    private byte[] secret() {
        byte[] secret = new byte[SECRET];
        System.arraycopy(seed, 0, secret, 0, 32);
        System.arraycopy(Base64.getDecoder().decode(publicKey.base64()), 2 + KeyId.BYTES, secret, 32, 32);
        return secret;
    }

    private static byte[] checksum(KeyId keyId, byte[] secret) {
        return Blake2b.hash(256, new byte[] {'E', 'd'}, keyId.bytes(), secret);
    }

    private static byte[] take(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    @Override
    public String toString() {
        return "minisign secret key " + keyId;
    }
}
