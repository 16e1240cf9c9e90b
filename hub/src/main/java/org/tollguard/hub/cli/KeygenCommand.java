package org.tollguard.hub.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import org.tollguard.hub.HubKeys;
import org.tollguard.hub.config.SigningConfig;
import org.tollguard.protocol.minisign.MinisignSecretKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "keygen", description = "Write a new minisign key pair for signing the list: the secret key "
        + "(mode 0600) and the public key beside it (NAME.pub).")
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--secret-key", paramLabel = "FILE", description = "Where to write it (default: ${DEFAULT-VALUE}).")
    Path secretKey = SigningConfig.DEFAULT_SECRET_KEY;

    @Option(names = "--force", description = "Overwrite an existing key pair.")
    boolean force;

    @Override
    public Integer call() {
        MinisignSecretKey key = MinisignSecretKey.generate();
        Path publicKey = HubKeys.publicKeyFile(secretKey);
        try {
            if (secretKey.getParent() != null) {
                Files.createDirectories(secretKey.getParent());
            }
            if (force) {
                Files.deleteIfExists(secretKey);
            }
            // created with mode 0600 before any byte of the key is written
            Files.createFile(secretKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(secretKey, key.fileText(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            Files.writeString(publicKey, key.publicKey().fileText(), StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            System.err.println("tollguard-hub: " + secretKey + " exists; --force replaces it (agents must trust the "
                    + "new public key first: see signing.extra-public-keys)");
            return 1;
        } catch (IOException e) {
            System.err.println("tollguard-hub: cannot write the key: " + e.getMessage());
            return 1;
        }
        System.out.println("secret key: " + secretKey + " (mode 0600)");
        System.out.println("public key: " + publicKey);
        System.out.println(key.publicKey().base64());
        return 0;
    }
}
