package org.tollguard.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollguard.protocol.minisign.MinisignSecretKey;

class ListVerifierTest {
    private final Instant now = Instant.parse("2026-05-01T12:00:00Z");
    private final MinisignSecretKey key = MinisignSecretKey.generate();
    private final ListSigner signer = new ListSigner(key);
    private final ListVerifier verifier = new ListVerifier(List.of(key.publicKey()), Clock.fixed(now, ZoneOffset.UTC));

    private byte[] head(long generation) throws Exception {
        return ProtocolJson.mapper().writeValueAsBytes(new Head(1, "community", generation, now, now.plusSeconds(3600),
                new Head.FileRef("snapshots/abc.json", "abc", 0, generation, 0), List.of()));
    }

    private TrustedComment comment(ListFile kind, String list, long generation, Instant expires) {
        return new TrustedComment(kind, list, generation, now.minusSeconds(10), expires);
    }

    @Test
    void takesAFreshHeadOfTheRightListAndGeneration() throws Exception {
        byte[] body = head(42);
        String sig = signer.sign(body, comment(ListFile.HEAD, "community", 42, now.plusSeconds(3600)));
        Head head = verifier.verifyHead(body, sig, "community", 42);
        assertEquals(42, head.generation());
    }

    @Test
    void refusesReplayExpiryOtherListOtherKindAndMismatchedBody() throws Exception {
        byte[] body = head(41);
        String old = signer.sign(body, comment(ListFile.HEAD, "community", 41, now.plusSeconds(3600)));
        assertTrue(assertThrows(ListRejectedException.class, () -> verifier.verifyHead(body, old, "community", 42))
                .getMessage().contains("older than generation 42"));

        String expired = signer.sign(body, comment(ListFile.HEAD, "community", 41, now));
        assertTrue(assertThrows(ListRejectedException.class, () -> verifier.verifyHead(body, expired, "community", 0))
                .getMessage().contains("expired"));

        String otherList = signer.sign(body, comment(ListFile.HEAD, "reseller-7", 41, now.plusSeconds(60)));
        assertThrows(ListRejectedException.class, () -> verifier.verifyHead(body, otherList, "community", 0));

        String snapshotSig = signer.sign(body, comment(ListFile.SNAPSHOT, "community", 41, now.plusSeconds(60)));
        assertThrows(ListRejectedException.class, () -> verifier.verifyHead(body, snapshotSig, "community", 0));

        String wrongGeneration = signer.sign(body, comment(ListFile.HEAD, "community", 99, now.plusSeconds(60)));
        assertTrue(assertThrows(ListRejectedException.class,
                () -> verifier.verifyHead(body, wrongGeneration, "community", 0)).getMessage().contains("does not match"));

        MinisignSecretKey stranger = MinisignSecretKey.generate();
        String unknownKey = new ListSigner(stranger).sign(body, comment(ListFile.HEAD, "community", 41, now.plusSeconds(60)));
        assertThrows(ListRejectedException.class, () -> verifier.verifyHead(body, unknownKey, "community", 0));

        assertThrows(ListRejectedException.class, () -> verifier.verifyHead(body, "not a signature", "community", 0));
    }

    @Test
    void trustedCommentRoundTrips() {
        TrustedComment c = new TrustedComment(ListFile.CHANGES, "community", 7, now, now.plus(Duration.ofDays(1)));
        assertEquals(c, TrustedComment.parse(c.text()));
        assertThrows(IllegalArgumentException.class, () -> TrustedComment.parse("timestamp:1 file:x"));
    }

    @Test
    void reportBatchKeepsTheWireNames() throws Exception {
        String json = "{\"protocol\":1,\"reports\":[{\"id\":\"r1\",\"address\":\"203.0.113.66\","
                + "\"first-seen\":\"2026-05-01T11:59:02Z\",\"banned-at\":\"2026-05-01T11:59:31Z\","
                + "\"counts\":{\"InvalidPassword\":4},\"account-count\":2,\"user-agents\":[\"friendly-scanner\"],"
                + "\"pbx\":{\"kind\":\"asterisk\",\"version\":\"22.5.0\"},\"agent-version\":\"0.1.0\",\"new-field\":1}]}";
        ReportBatch batch = ProtocolJson.mapper().readValue(json.getBytes(StandardCharsets.UTF_8), ReportBatch.class);
        Report r = batch.reports().get(0);
        assertEquals(Instant.parse("2026-05-01T11:59:02Z"), r.firstSeen());
        assertEquals(2, r.accountCount());
        assertEquals("asterisk", r.pbx().kind());
        String out = ProtocolJson.mapper().writeValueAsString(batch);
        assertTrue(out.contains("\"first-seen\":\"2026-05-01T11:59:02Z\""), out);
        assertTrue(out.contains("\"agent-version\""), out);
    }
}
