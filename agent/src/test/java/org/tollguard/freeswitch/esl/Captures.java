package org.tollguard.freeswitch.esl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real FreeSWITCH 1.10.12 captures copied under src/test/resources/freeswitch/. */
public final class Captures {
    private Captures() {}

    public static Path root() {
        URL url = Captures.class.getResource("/freeswitch/freeswitch-log-auth-lines.txt");
        if (url == null) {
            throw new IllegalStateException("test resources freeswitch/ missing");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every event file of every raw-* directory, sorted by directory then sequence. */
    public static List<Path> rawEvents() {
        try (Stream<Path> files = Files.walk(root())) {
            List<Path> list = files.filter(p -> p.getParent().getFileName().toString().startsWith("raw-"))
                    .filter(p -> p.toString().endsWith(".txt"))
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
}
