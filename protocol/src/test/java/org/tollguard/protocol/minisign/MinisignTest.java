package org.tollguard.protocol.minisign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our files against Debian's own minisign (package minisign, installed by run-tests), and tampering refused. */
class MinisignTest {
    @TempDir
    Path dir;

    private final byte[] message = "{\"protocol\":1,\"list\":\"community\"}\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void debiansMinisignVerifiesWhatWeSign() throws Exception {
        MinisignSecretKey key = MinisignSecretKey.generate();
        Path pub = write("hub.pub", key.publicKey().fileText());
        Path file = Files.write(dir.resolve("list.json"), message);
        write("list.json.minisig", Minisign.sign(key, message, "tollguard test", "kind:head list:community").fileText());

        Result ok = minisign("-V", "-p", pub.toString(), "-m", file.toString());
        assertEquals(0, ok.code, ok.output);
        assertTrue(ok.output.contains("Trusted comment: kind:head list:community"), ok.output);

        Files.write(file, "{\"protocol\":1,\"list\":\"communitx\"}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, minisign("-V", "-p", pub.toString(), "-m", file.toString()).code, "tampered file");
    }

    @Test
    void weReadAndUseMinisignsOwnKeysAndSignatures() throws Exception {
        Path pub = dir.resolve("m.pub");
        Path sec = dir.resolve("m.key");
        Result generated = minisign("-G", "-W", "-p", pub.toString(), "-s", sec.toString());
        assertEquals(0, generated.code, generated.output);
        Path file = Files.write(dir.resolve("f"), message);
        Result signed = minisign("-S", "-s", sec.toString(), "-m", file.toString(), "-t", "by minisign");
        assertEquals(0, signed.code, signed.output);

        MinisignPublicKey publicKey = MinisignPublicKey.read(pub);
        MinisignSignature signature = MinisignSignature.parse(Files.readString(dir.resolve("f.minisig")));
        assertEquals("by minisign", Minisign.verify(List.of(publicKey), message, signature));

        // minisign's secret key signs for us too, and its public key is the one in the .pub file
        MinisignSecretKey secretKey = MinisignSecretKey.read(sec);
        assertEquals(publicKey, secretKey.publicKey());
        Minisign.verify(List.of(publicKey), message, Minisign.sign(secretKey, message, "u", "t"));
    }

    @Test
    void refusesTamperedContentWrongKeyAndChangedTrustedComment() throws Exception {
        MinisignSecretKey key = MinisignSecretKey.generate();
        MinisignSecretKey other = MinisignSecretKey.generate();
        MinisignSignature signature = Minisign.sign(key, message, "u", "generation:7");
        List<MinisignPublicKey> trusted = List.of(key.publicKey());

        byte[] tampered = message.clone();
        tampered[5] ^= 1;
        assertTrue(assertThrows(MinisignException.class, () -> Minisign.verify(trusted, tampered, signature))
                .getMessage().contains("does not match the content"));

        MinisignException wrongKey = assertThrows(MinisignException.class,
                () -> Minisign.verify(List.of(other.publicKey()), message, signature));
        assertTrue(wrongKey.getMessage().contains("not a trusted key"), wrongKey.getMessage());

        String changed = signature.fileText().replace("generation:7", "generation:8");
        assertTrue(assertThrows(MinisignException.class,
                () -> Minisign.verify(trusted, message, MinisignSignature.parse(changed)))
                .getMessage().contains("trusted comment"));

        // a key of another pair given the same id is still refused
        MinisignSignature forged = Minisign.sign(other, message, "u", "generation:7");
        MinisignSignature relabelled = new MinisignSignature("u", true, key.keyId(), forged.signature(),
                forged.trustedComment(), forged.globalSignature());
        assertThrows(MinisignException.class, () -> Minisign.verify(trusted, message, relabelled));
    }

    @Test
    void twoKeysTrustedAtOnceForRotation() throws Exception {
        MinisignSecretKey old = MinisignSecretKey.generate();
        MinisignSecretKey fresh = MinisignSecretKey.generate();
        List<MinisignPublicKey> both = List.of(old.publicKey(), fresh.publicKey());
        assertEquals("a", Minisign.verify(both, message, Minisign.sign(old, message, "u", "a")));
        assertEquals("b", Minisign.verify(both, message, Minisign.sign(fresh, message, "u", "b")));
    }

    @Test
    void keyFilesRoundTripAndDamageIsNamed() throws Exception {
        MinisignSecretKey key = MinisignSecretKey.generate();
        MinisignSecretKey read = MinisignSecretKey.parse(key.fileText());
        assertEquals(key.publicKey(), read.publicKey());
        assertEquals(key.publicKey(), MinisignPublicKey.parse(key.publicKey().base64()));
        assertEquals(key.publicKey(), MinisignPublicKey.parse(key.publicKey().fileText()));

        String text = key.fileText();
        String base64 = text.lines().toList().get(1);
        char[] chars = base64.toCharArray();
        chars[120] = chars[120] == 'A' ? 'B' : 'A';
        String damaged = text.replace(base64, new String(chars));
        assertThrows(MinisignException.class, () -> MinisignSecretKey.parse(damaged));
        assertThrows(MinisignException.class, () -> MinisignPublicKey.parse("RWQnotakey"));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private record Result(int code, String output) {}

    private Result minisign(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("minisign"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }
}
