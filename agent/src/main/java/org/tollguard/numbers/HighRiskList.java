package org.tollguard.numbers;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Known fraudulent destinations: International Revenue Share Fraud ranges, satellite and international network
 * codes and high-risk countries, from {@code high-risk.csv} plus the configuration's {@code extra-high-risk}.
 * Matched by longest prefix of the E.164 digits.
 */
final class HighRiskList {
    static final String RESOURCE = "/org/tollguard/numbers/high-risk.csv";
    static final String CONFIGURED_NOTE = "listed in the configuration (numbers.extra-high-risk)";

    record Range(String prefix, String note) {
        /** The note as shown with a number: what the range is and which prefix matched. */
        String describe() {
            return note + " (+" + prefix + ")";
        }
    }

    private static final Map<String, Range> SHIPPED = load(RESOURCE);

    private final PrefixTable<Range> table;

    private HighRiskList(Map<String, Range> ranges) {
        this.table = PrefixTable.of(ranges);
    }

    /** The shipped list plus {@code extra} prefixes ({@code +88213} or {@code 88213}). */
    static HighRiskList withExtra(Collection<String> extra) {
        Map<String, Range> ranges = new LinkedHashMap<>(SHIPPED);
        for (String prefix : extra) {
            String digits = prefix.startsWith("+") ? prefix.substring(1) : prefix;
            if (!DataFile.isDigits(digits)) {
                throw new IllegalArgumentException("'" + prefix + "' is not a number prefix");
            }
            ranges.put(digits, new Range(digits, CONFIGURED_NOTE));
        }
        return new HighRiskList(ranges);
    }

    static Map<String, Range> load(String resource) {
        Map<String, Range> ranges = new LinkedHashMap<>();
        for (DataFile.Line line : DataFile.read(resource, 2)) {
            String prefix = line.fields()[0].startsWith("+") ? line.fields()[0].substring(1) : line.fields()[0];
            if (!DataFile.isDigits(prefix) || prefix.charAt(0) == '0') {
                throw new IllegalStateException(line.error("'" + line.fields()[0] + "' is not an E.164 prefix"));
            }
            if (line.fields()[1].isEmpty()) {
                throw new IllegalStateException(line.error("+" + prefix + " has no note"));
            }
            if (ranges.put(prefix, new Range(prefix, line.fields()[1])) != null) {
                throw new IllegalStateException(line.error("+" + prefix + " is listed twice"));
            }
        }
        return Map.copyOf(ranges);
    }

    static Map<String, Range> shipped() {
        return SHIPPED;
    }

    /** The longest listed range that {@code e164Digits[from..]} falls in, or {@code null}. */
    Range match(CharSequence e164Digits, int from) {
        return table.longestPrefix(e164Digits, from);
    }

    int size() {
        return table.size();
    }
}
