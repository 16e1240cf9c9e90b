package org.tollguard.hub.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.tollguard.hub.enroll.Secrets;

/** Session cookies, CSRF tokens and admin API tokens: the hub's random secrets, and the SHA-256 kept of them. */
final class Tokens {
    private Tokens() {}

    static String random(String prefix) {
        return Secrets.create(prefix);
    }

    static String sha256(String token) {
        return HexFormat.of().formatHex(Secrets.hash(token));
    }

    static boolean sameSecret(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
