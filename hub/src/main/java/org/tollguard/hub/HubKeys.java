package org.tollguard.hub;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tollguard.hub.config.SigningConfig;
import org.tollguard.protocol.minisign.MinisignException;
import org.tollguard.protocol.minisign.MinisignPublicKey;
import org.tollguard.protocol.minisign.MinisignSecretKey;

/** The key the list is signed with, and every public key agents are told to trust (its own first). */
public record HubKeys(MinisignSecretKey secretKey, List<MinisignPublicKey> trusted) {
    public static HubKeys load(SigningConfig config) throws MinisignException {
        MinisignSecretKey secret = MinisignSecretKey.read(config.secretKey());
        List<MinisignPublicKey> trusted = new ArrayList<>(List.of(secret.publicKey()));
        for (Path file : config.extraPublicKeys()) {
            MinisignPublicKey key = MinisignPublicKey.read(file);
            if (!trusted.contains(key)) {
                trusted.add(key);
            }
        }
        return new HubKeys(secret, List.copyOf(trusted));
    }

    /** The public keys in their one-line form, as an enrollment answer gives them. */
    public List<String> publicKeyLines() {
        return trusted.stream().map(MinisignPublicKey::base64).toList();
    }

    /** The public key file written beside a secret key: {@code hub.key} → {@code hub.pub}. */
    public static Path publicKeyFile(Path secretKey) {
        String name = secretKey.getFileName().toString();
        String base = name.endsWith(".key") ? name.substring(0, name.length() - 4) : name;
        return secretKey.resolveSibling(base + ".pub");
    }
}
