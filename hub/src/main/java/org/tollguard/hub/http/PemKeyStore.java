package org.tollguard.hub.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A PEM certificate chain and PKCS#8 private key (what certbot and openssl write) as an in-memory key store. */
final class PemKeyStore {
    static final char[] PASSWORD = "in-memory".toCharArray();
    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemKeyStore() {}

    static KeyStore load(Path certificate, Path key) throws IOException, GeneralSecurityException {
        List<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certificate)) {
            chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException(certificate + ": no PEM certificate in it");
        }
        String pem = Files.readString(key, StandardCharsets.US_ASCII);
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new GeneralSecurityException(key + ": no PKCS#8 private key (-----BEGIN PRIVATE KEY-----); convert "
                    + "it with: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        PrivateKey privateKey = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                privateKey = KeyFactory.getInstance(algorithm).generatePrivate(spec);
                break;
            } catch (GeneralSecurityException e) {
                // not this algorithm
            }
        }
        if (privateKey == null) {
            throw new GeneralSecurityException(key + ": not an RSA, EC or Ed25519 private key");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("hub", privateKey, PASSWORD, chain.toArray(new Certificate[0]));
        return store;
    }
}
