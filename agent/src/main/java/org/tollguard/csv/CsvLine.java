package org.tollguard.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of CSV (RFC 4180): fields separated by commas, a field in double quotes may hold commas, and a
 * double quote inside quotes is written twice. This is how Asterisk's cdr_csv quotes its fields.
 */
public final class CsvLine {
    private CsvLine() {}

    /** The fields of {@code line}; throws {@link IllegalArgumentException} saying what is wrong with the quoting. */
    public static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            field.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                int open = i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("quoted field at column " + (open + 1) + " is not closed");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("unexpected '" + line.charAt(i) + "' after the quoted field at column "
                            + (open + 1));
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        throw new IllegalArgumentException("stray '\"' in an unquoted field at column " + i);
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }
}
