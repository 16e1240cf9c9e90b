package org.tollguard.freeswitch.esl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real FreeSWITCH 1.10.12 captures in {@code ../shared/freeswitch} beside the project root (read-only, never
 * copied into the tree: its README.md says what produced each file).
 */
public final class Captures {
    private Captures() {}

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("project root (the directory with mvnw) not found above "
                    + Path.of("").toAbsolutePath());
        }
        Path root = dir.resolve("../shared/freeswitch").normalize();
        if (!Files.isRegularFile(root.resolve("README.md"))) {
            throw new IllegalStateException("FreeSWITCH captures missing: " + root);
        }
        return root;
    }

    /** Every event-plain file of the raw-* directories of plain events, sorted by directory then sequence. */
    public static List<Path> rawEvents() {
        try (Stream<Path> files = Files.walk(root())) {
            List<Path> list = files.filter(p -> p.getParent().getFileName().toString().startsWith("raw-"))
                    .filter(p -> p.toString().endsWith(".txt"))
                    .filter(p -> !p.getParent().getFileName().toString().equals("raw-json-events"))
                    .sorted()
                    .toList();
            if (list.size() < 40) {
                throw new IllegalStateException("expected the raw-* captures, found " + list.size());
            }
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code .txt} files of a capture folder (for frame folders: {@code NNN-*.txt}, in stream order). */
    public static List<Path> rawDir(String name) {
        try (Stream<Path> files = Files.list(root().resolve(name))) {
            return files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(String relative) {
        return bytes(root().resolve(relative));
    }

    public static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log/data frames of a run of raw-log-data ("run1", "run2"), in stream order. */
    public static List<Path> logFrames(String run) {
        return rawDir("raw-log-data/" + run).stream()
                .filter(p -> p.getFileName().toString().contains("-log-data-")).toList();
    }

    /**
     * A captured exchange cut into its frames, bytes untouched: a header block up to its blank line, then as many
     * body bytes as its {@code Content-Length} says (the outbound socket's channel data has none).
     */
    public static List<byte[]> frames(String relative) {
        byte[] b = bytes(relative);
        List<byte[]> frames = new ArrayList<>();
        int pos = 0;
        while (pos < b.length) {
            int end = indexOf(b, "\n\n", pos);
            if (end < 0) {
                throw new IllegalStateException(relative + ": bytes after the last frame at " + pos);
            }
            int next = end + 2;
            Matcher m = CONTENT_LENGTH.matcher(new String(b, pos, end - pos, StandardCharsets.UTF_8));
            if (m.find()) {
                next += Integer.parseInt(m.group(1));
            }
            frames.add(Arrays.copyOfRange(b, pos, next));
            pos = next;
        }
        return frames;
    }

    /** Frame {@code index} (0-based) of a captured exchange. */
    public static byte[] frame(String relative, int index) {
        return frames(relative).get(index);
    }

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?m)^Content-Length: (\\d+)$");

    private static int indexOf(byte[] b, String s, int from) {
        byte[] n = s.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = from; i <= b.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (b[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
