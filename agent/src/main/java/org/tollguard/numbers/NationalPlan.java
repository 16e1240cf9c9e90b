package org.tollguard.numbers;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Our own national numbering plan table, {@code national-plan.csv}: what libphonenumber's number types do not
 * tell apart (NL 0906/0909 from 0900, 084/087 from 088) and short numbers it does not type (NL 18xy). A number's
 * category comes from the longest matching prefix of its country; libphonenumber's type decides where no prefix
 * matches.
 *
 * <p>Prefixes are digits as the number is written in its own country: the libphonenumber national format with
 * the spaces taken out (NL {@code 0906}, GB {@code 0118}, US {@code 900}, NL municipal {@code 14}); short
 * numbers as dialled ({@code 18} for NL 18xy).
 */
final class NationalPlan {
    static final String RESOURCE = "/org/tollguard/numbers/national-plan.csv";

    /** Categories a national plan row may give; the others are decided by the classifier alone. */
    private static final Set<Category> ALLOWED = EnumSet.of(
            Category.NATIONAL_AMUSEMENT, Category.NATIONAL_PREMIUM, Category.NATIONAL_MOBILE,
            Category.NATIONAL_GEOGRAPHIC, Category.PERSONAL_ASSISTANT, Category.NATIONAL_088,
            Category.NATIONAL_FREEPHONE, Category.UNKNOWN);

    record Entry(String country, String prefix, Category category, String note) {}

    private static final NationalPlan SHIPPED = load(RESOURCE);
    private static final PrefixTable<Entry> EMPTY = PrefixTable.of(Map.of());

    private final Map<String, PrefixTable<Entry>> byCountry;

    private NationalPlan(Map<String, PrefixTable<Entry>> byCountry) {
        this.byCountry = Map.copyOf(byCountry);
    }

    static NationalPlan shipped() {
        return SHIPPED;
    }

    static NationalPlan load(String resource) {
        Set<String> regions = PhoneNumberUtil.getInstance().getSupportedRegions();
        Map<String, Map<String, Entry>> rows = new HashMap<>();
        for (DataFile.Line line : DataFile.read(resource, 4)) {
            String[] f = line.fields();
            String country = f[0];
            if (!regions.contains(country)) {
                throw new IllegalStateException(line.error("'" + country + "' is not an ISO 3166-1 country code"));
            }
            if (!DataFile.isDigits(f[1])) {
                throw new IllegalStateException(line.error("prefix '" + f[1] + "' is not all digits"));
            }
            Category category;
            try {
                category = Category.fromId(f[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(line.error(e.getMessage()));
            }
            if (!ALLOWED.contains(category)) {
                throw new IllegalStateException(line.error("category " + category.id()
                        + " cannot come from the national plan"));
            }
            Entry previous = rows.computeIfAbsent(country, c -> new LinkedHashMap<>())
                    .put(f[1], new Entry(country, f[1], category, f[3]));
            if (previous != null) {
                throw new IllegalStateException(line.error(country + " " + f[1] + " is listed twice"));
            }
        }
        Map<String, PrefixTable<Entry>> tables = new HashMap<>();
        rows.forEach((country, entries) -> tables.put(country, PrefixTable.of(entries)));
        return new NationalPlan(tables);
    }

    /** The table of one country; empty if the plan has no rows for it. */
    PrefixTable<Entry> of(String country) {
        return byCountry.getOrDefault(country, EMPTY);
    }

    Set<String> countries() {
        return byCountry.keySet();
    }
}
