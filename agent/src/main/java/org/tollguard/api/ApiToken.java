package org.tollguard.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The shared secret between the running agent and the CLI: a file only its owner (root) can read. */
public final class ApiToken {
    private final String value;

    private ApiToken(String value) {
        this.value = value;
    }

    /** Reads the token file, creating it (mode 0600) with a random token if it does not exist. */
    public static ApiToken loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = HexFormat.of().formatHex(random);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
            } catch (FileAlreadyExistsException raced) {
                // another process made it first; read theirs
            }
        }
        return read(file);
    }

    public static ApiToken read(Path file) throws IOException {
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (token.isEmpty()) {
            throw new IOException(file + " is empty");
        }
        return new ApiToken(token);
    }

    public String value() {
        return value;
    }

    /** Constant-time comparison with a presented {@code Authorization: Bearer ...} header. */
    public boolean matchesHeader(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(presented, value.getBytes(StandardCharsets.US_ASCII));
    }
}
