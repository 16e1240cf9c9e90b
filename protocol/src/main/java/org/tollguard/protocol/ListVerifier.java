package org.tollguard.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import org.tollguard.protocol.minisign.Minisign;
import org.tollguard.protocol.minisign.MinisignException;
import org.tollguard.protocol.minisign.MinisignPublicKey;
import org.tollguard.protocol.minisign.MinisignSignature;

/**
 * Decides whether a published list file may be taken: signed by one of the pinned keys, the trusted comment
 * naming the expected kind and list, a generation not older than the one already taken, and not expired.
 */
public final class ListVerifier {
    private final List<MinisignPublicKey> trusted;
    private final Clock clock;

    public ListVerifier(Collection<MinisignPublicKey> trusted, Clock clock) {
        if (trusted.isEmpty()) {
            throw new IllegalArgumentException("at least one public key must be trusted");
        }
        this.trusted = List.copyOf(trusted);
        this.clock = clock;
    }

    public TrustedComment verify(byte[] body, String signatureText, ListFile kind, String list, long minGeneration)
            throws ListRejectedException {
        try {
            return verify(new ByteArrayInputStream(body), signatureText, kind, list, minGeneration);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code body} to its end (a large snapshot is never held whole). */
    public TrustedComment verify(InputStream body, String signatureText, ListFile kind, String list,
                                 long minGeneration) throws ListRejectedException, IOException {
        String commentText;
        try {
            commentText = Minisign.verify(trusted, body, MinisignSignature.parse(signatureText));
        } catch (MinisignException e) {
            throw new ListRejectedException(kind.label() + " of list " + list + ": " + e.getMessage(), e);
        }
        TrustedComment comment;
        try {
            comment = TrustedComment.parse(commentText);
        } catch (IllegalArgumentException e) {
            throw new ListRejectedException(kind.label() + " of list " + list + ": " + e.getMessage(), e);
        }
        if (comment.kind() != kind) {
            throw new ListRejectedException("expected a " + kind.label() + " but the signature is for a "
                    + comment.kind().label());
        }
        if (!comment.list().equals(list)) {
            throw new ListRejectedException("expected list " + list + " but the signature is for list " + comment.list());
        }
        if (comment.generation() < minGeneration) {
            throw new ListRejectedException(kind.label() + " of list " + list + " has generation " + comment.generation()
                    + ", older than generation " + minGeneration + " already taken (replayed or rolled back)");
        }
        if (!comment.expires().isAfter(clock.instant())) {
            throw new ListRejectedException(kind.label() + " of list " + list + " generation " + comment.generation()
                    + " expired at " + comment.expires());
        }
        return comment;
    }

    /** Verifies a head and checks that its body says what its signature says. */
    public Head verifyHead(byte[] body, String signatureText, String list, long minGeneration)
            throws ListRejectedException {
        TrustedComment comment = verify(body, signatureText, ListFile.HEAD, list, minGeneration);
        Head head;
        try {
            head = ProtocolJson.mapper().readValue(body, Head.class);
        } catch (IOException e) {
            throw new ListRejectedException("head of list " + list + " is not valid JSON: " + e.getMessage(), e);
        }
        if (head.protocol() != ProtocolJson.VERSION || !list.equals(head.list())
                || head.generation() != comment.generation() || head.snapshot() == null) {
            throw new ListRejectedException("head of list " + list + " does not match its signature's trusted comment");
        }
        return head;
    }
}
