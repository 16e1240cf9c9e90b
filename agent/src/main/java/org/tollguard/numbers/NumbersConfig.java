package org.tollguard.numbers;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tollguard.yamlconfig.ScalarText;

/**
 * {@code numbers:} how dialled numbers are read and classified.
 *
 * @param homeCountry       ISO 3166-1 code of the country the PBX dials from; national numbers, short numbers and
 *                          emergency numbers are read against its numbering plan; default {@code NL}
 * @param outsideLinePrefix the digit(s) extensions dial to get an outside line ({@code 0} or {@code 9}), if the
 *                          numbers the PBX hands to tollguard still carry it; stripped once before classifying;
 *                          default none
 * @param extraHighRisk     more high-risk destinations, on top of the shipped list: number prefixes in
 *                          international form ({@code +88213} or {@code 88213}); normalised to {@code +digits}
 * @param emergencyNumbers  the emergency numbers, as dialled without the outside-line prefix; default 112, 911 and
 *                          the home country's own (libphonenumber's short number data). One list for the engine and
 *                          for the dialplan's fail-closed path (the agent hands it to the PBX on every connect)
 */
public record NumbersConfig(
        String homeCountry,
        @JsonDeserialize(using = ScalarText.class) String outsideLinePrefix,
        @JsonDeserialize(contentUsing = ScalarText.class) List<String> extraHighRisk,
        @JsonDeserialize(contentUsing = ScalarText.class) List<String> emergencyNumbers) {

    public static final String DEFAULT_HOME_COUNTRY = "NL";
    /** Longest E.164 number is 15 digits; a prefix can be no longer. */
    private static final int MAX_PREFIX_DIGITS = 15;
    private static final int MAX_OUTSIDE_LINE_DIGITS = 4;
    private static final int MAX_EMERGENCY_DIGITS = 8;

    public NumbersConfig {
        homeCountry = homeCountry == null ? DEFAULT_HOME_COUNTRY : homeCountry.strip().toUpperCase(Locale.ROOT);
        if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(homeCountry)) {
            throw new IllegalArgumentException("home-country: '" + homeCountry
                    + "' is not a country code (write an ISO 3166-1 code such as NL, BE, DE, GB or US)");
        }
        outsideLinePrefix = outsideLinePrefix == null ? "" : outsideLinePrefix.strip();
        if (!isDigits(outsideLinePrefix, 0, MAX_OUTSIDE_LINE_DIGITS)) {
            throw new IllegalArgumentException("outside-line-prefix: '" + outsideLinePrefix
                    + "' is not a prefix (write the digits dialled for an outside line, such as 0 or 9;"
                    + " at most " + MAX_OUTSIDE_LINE_DIGITS + ")");
        }
        List<String> prefixes = new ArrayList<>();
        for (String entry : extraHighRisk == null ? List.<String>of() : extraHighRisk) {
            String digits = entry == null ? "" : entry.strip();
            digits = digits.startsWith("+") ? digits.substring(1) : digits;
            if (!isDigits(digits, 1, MAX_PREFIX_DIGITS) || digits.charAt(0) == '0') {
                throw new IllegalArgumentException("extra-high-risk: '" + entry + "' is not a number prefix"
                        + " (write it in international form, country code first, such as +88213)");
            }
            if (!prefixes.contains("+" + digits)) {
                prefixes.add("+" + digits);
            }
        }
        extraHighRisk = List.copyOf(prefixes);
        List<String> emergency = new ArrayList<>();
        for (String entry : emergencyNumbers == null ? List.<String>of() : emergencyNumbers) {
            String digits = entry == null ? "" : entry.strip();
            if (!isDigits(digits, 2, MAX_EMERGENCY_DIGITS)) {
                throw new IllegalArgumentException("emergency-numbers: '" + entry + "' is not an emergency number"
                        + " (write the digits as dialled, such as 112; at most " + MAX_EMERGENCY_DIGITS + ")");
            }
            if (!emergency.contains(digits)) {
                emergency.add(digits);
            }
        }
        emergencyNumbers = List.copyOf(emergency);
    }

    public static NumbersConfig defaults() {
        return new NumbersConfig(null, null, null, null);
    }

    private static boolean isDigits(String s, int min, int max) {
        if (s.length() < min || s.length() > max) {
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
