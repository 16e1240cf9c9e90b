package org.tollguard.protocol;

import org.tollguard.protocol.minisign.Minisign;
import org.tollguard.protocol.minisign.MinisignSecretKey;

/** Signs a list file for publication: the {@code .minisig} text to put next to it. */
public final class ListSigner {
    private final MinisignSecretKey key;

    public ListSigner(MinisignSecretKey key) {
        this.key = key;
    }

    public String sign(byte[] body, TrustedComment comment) {
        return Minisign.sign(key, body, "tollguard " + comment.kind().label() + " signed by key " + key.keyId(),
                comment.text()).fileText();
    }
}
