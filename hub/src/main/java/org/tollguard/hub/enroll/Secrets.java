package org.tollguard.hub.enroll;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Enrollment tokens and agent credentials: 256 random bits with a prefix saying which it is. The hub keeps only
 * their SHA-256: they are random, not chosen by people, so a slow password hash would add nothing.
 */
public final class Secrets {
    public static final String TOKEN_PREFIX = "tge_";
    public static final String CREDENTIAL_PREFIX = "tga_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    public static String create(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
