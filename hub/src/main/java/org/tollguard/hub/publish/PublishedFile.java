package org.tollguard.hub.publish;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/** One immutable published file as stored: its gzipped body, SHA-256 of the plain body, and signature. */
public record PublishedFile(String path, String sha256, byte[] bodyGzip, String signature) {
    public byte[] body() {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bodyGzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
