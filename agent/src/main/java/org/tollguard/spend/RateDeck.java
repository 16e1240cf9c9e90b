package org.tollguard.spend;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tollguard.csv.CsvLine;

/**
 * A provider's price list: prefix, description, price per minute, set-up price and billing increments per line,
 * matched on the longest prefix of a number's E.164 digits. Immutable.
 *
 * <p>The file is CSV, UTF-8, one rate per line:
 * <pre>
 * # comment lines and blank lines are skipped; an optional header line starts with "prefix"
 * prefix,description,price-per-minute,setup-price,increments
 * 31,Netherlands fixed,0.0100,0,60/60
 * 31909,"Netherlands amusement, 0909",1.5000,0.10,1/1
 * </pre>
 * Prefixes are E.164 digits without (or with) a leading '+'; prices are plain decimals in {@code ids.currency};
 * increments are FIRST/NEXT seconds. A line that breaks any of this fails the whole deck with the file, the line
 * and the reason.
 */
public final class RateDeck {
    static final int COLUMNS = 5;
    private static final int MAX_PREFIX = 15;

    private final Map<String, Rate> rates;
    private final String source;

    private RateDeck(Map<String, Rate> rates, String source) {
        this.rates = Map.copyOf(rates);
        this.source = source;
    }

    /** A deck with no rates: every number gets its category's default price. */
    public static RateDeck empty() {
        return new RateDeck(Map.of(), "(no rate deck)");
    }

    public static RateDeck of(List<Rate> rates, String source) {
        Map<String, Rate> m = new HashMap<>();
        rates.forEach(r -> m.put(r.prefix(), r));
        return new RateDeck(m, source);
    }

    /** Reads and checks a deck file; nothing of a file with any bad line is used. */
    public static RateDeck load(Path file) throws RateDeckException {
        Map<String, Rate> rates = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        int lineNo = 0;
        boolean seenData = false;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                List<String> fields;
                try {
                    fields = CsvLine.split(line);
                } catch (IllegalArgumentException e) {
                    throw new RateDeckException(file + ":" + lineNo + ": " + e.getMessage());
                }
                if (!seenData && fields.get(0).strip().toLowerCase(Locale.ROOT).equals("prefix")) {
                    seenData = true;
                    continue; // the header
                }
                seenData = true;
                Rate rate;
                try {
                    rate = parse(fields);
                } catch (IllegalArgumentException e) {
                    throw new RateDeckException(file + ":" + lineNo + ": " + e.getMessage());
                }
                Integer first = lineOf.putIfAbsent(rate.prefix(), lineNo);
                if (first != null) {
                    throw new RateDeckException(file + ":" + lineNo + ": prefix " + rate.prefix()
                            + " is already priced on line " + first);
                }
                rates.put(rate.prefix(), rate);
            }
        } catch (NoSuchFileException e) {
            throw new RateDeckException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new RateDeckException(file + ":" + (lineNo + 1) + ": not UTF-8 text");
        } catch (IOException e) {
            throw new RateDeckException(file + ": cannot read: " + e.getMessage());
        }
        if (rates.isEmpty()) {
            throw new RateDeckException(file + ": no rates in the file (an empty or truncated deck is not used)");
        }
        return new RateDeck(rates, file.toString());
    }

    private static Rate parse(List<String> f) {
        if (f.size() != COLUMNS) {
            throw new IllegalArgumentException("expected " + COLUMNS
                    + " columns (prefix, description, price-per-minute, setup-price, increments), found " + f.size());
        }
        String prefix = f.get(0).strip();
        String digits = prefix.startsWith("+") ? prefix.substring(1) : prefix;
        if (digits.isEmpty() || digits.length() > MAX_PREFIX || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                || digits.charAt(0) == '0') {
            throw new IllegalArgumentException("prefix '" + prefix + "' is not an international number prefix"
                    + " (country code first, e.g. 31 or +3190, at most " + MAX_PREFIX + " digits)");
        }
        return new Rate(digits, f.get(1).strip(), price("price-per-minute", f.get(2)), price("setup-price", f.get(3)),
                Increments.parse(f.get(4)));
    }

    private static java.math.BigDecimal price(String column, String text) {
        try {
            return Money.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(column + " " + e.getMessage());
        }
    }

    /** The rate of the longest prefix of {@code digits} (E.164 digits, no '+'), or null. */
    public Rate find(String digits) {
        for (int len = Math.min(digits.length(), MAX_PREFIX); len > 0; len--) {
            Rate r = rates.get(digits.substring(0, len));
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    public int size() {
        return rates.size();
    }

    /** The file it came from. */
    public String source() {
        return source;
    }
}
