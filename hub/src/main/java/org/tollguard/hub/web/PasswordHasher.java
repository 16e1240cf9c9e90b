package org.tollguard.hub.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt, with the cost from the config (12 in production; tests use the minimum, 4, to stay fast). */
public final class PasswordHasher {
    public static final int MIN_LENGTH = 10;
    /** bcrypt reads at most 72 bytes; a longer password would be cut silently, so it is refused */
    public static final int MAX_BYTES = 72;

    private final int cost;
    private final String dummyHash;

    public PasswordHasher(int cost) {
        this.cost = cost;
        this.dummyHash = hash("not-a-password-of-anyone".toCharArray());
    }

    public String hash(char[] password) {
        return BCrypt.withDefaults().hashToString(cost, password);
    }

    public boolean verify(char[] password, String hash) {
        return BCrypt.verifyer().verify(password, hash).verified;
    }

    /** Spends the time of one verification, so that an unknown user name takes as long as a wrong password. */
    void verifyNothing(char[] password) {
        BCrypt.verifyer().verify(password, dummyHash);
    }

    public static void checkAcceptable(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("password too short: at least " + MIN_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("password too long: at most " + MAX_BYTES + " bytes (bcrypt's limit)");
        }
    }
}
