package org.tollguard.numbers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shipped data files of this package: comma-separated lines, {@code #} comments and blank lines ignored.
 * The last field takes the rest of the line, so notes may contain commas.
 */
final class DataFile {
    /** One data line, split into its fields. */
    record Line(String file, int number, String[] fields) {
        /** An error message that names the file and line. */
        String error(String message) {
            return file + ":" + number + ": " + message;
        }
    }

    private DataFile() {}

    static List<Line> read(String resource, int fields) {
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        InputStream in = DataFile.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is missing from the class path");
        }
        List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                String stripped = text.strip();
                if (stripped.isEmpty() || stripped.startsWith("#")) {
                    continue;
                }
                String[] split = stripped.split(",", fields);
                if (split.length != fields) {
                    throw new IllegalStateException(file + ":" + number + ": expected " + fields + " fields: " + text);
                }
                for (int i = 0; i < split.length; i++) {
                    split[i] = split[i].strip();
                }
                lines.add(new Line(file, number, split));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        return lines;
    }

    static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
