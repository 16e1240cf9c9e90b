package org.tollguard.numbers;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.ShortNumberInfo;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells what a dialled number is: its E.164 form, its country, its {@link Category} relative to the home country,
 * and whether it is a known fraudulent destination.
 *
 * <p>How a number is read:
 * <ol>
 *   <li>Separators go ({@code 020-123 45 67}, {@code +31 (0)20 ...}); letters, {@code *} or {@code #} mean it is
 *       not a phone number.</li>
 *   <li>A configured outside-line prefix is stripped once. If the number without it means nothing but the number
 *       as dialled does, the number as dialled is used: a PBX may hand over numbers with or without it. If either
 *       reading is an emergency number, the number is an emergency number.</li>
 *   <li>{@code 112}, {@code 911} and the home country's emergency numbers (libphonenumber's short number data:
 *       999 in GB, 110 in DE, ...) dialled as they are, are {@link Category#EMERGENCY}.</li>
 *   <li>{@code +} or the home country's international prefix ({@code 00}, US {@code 011}) followed by a country code
 *       other than the home country's is {@link Category#INTERNATIONAL}; so is a number of another country sharing
 *       the home country's code (+1 876 Jamaica when at home in the US).</li>
 *   <li>A home country number is looked up in the {@link NationalPlan national plan table} by longest prefix; where
 *       no prefix matches, libphonenumber's number type decides (premium rate, toll free, mobile, ...), and for
 *       short numbers libphonenumber's expected cost.</li>
 *   <li>Independently of the category, the E.164 digits are looked up in the high-risk list by longest prefix.</li>
 * </ol>
 *
 * <p>Immutable and safe to share between threads. No regular expression is compiled per call.
 */
public final class NumberClassifier {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final ShortNumberInfo SHORT_NUMBERS = ShortNumberInfo.getInstance();
    /** Emergency numbers everywhere, whatever the home country's own plan says. */
    private static final String EU_EMERGENCY = "112";
    private static final String NANP_EMERGENCY = "911";
    private static final int MAX_E164_DIGITS = 15;

    private final String home;
    private final int homeCallingCode;
    private final String trunkPrefix;
    private final Pattern internationalPrefix;
    private final String outsideLinePrefix;
    private final PrefixTable<NationalPlan.Entry> plan;
    private final HighRiskList highRisk;
    private final SortedSet<String> emergencyNumbers;

    public NumberClassifier(NumbersConfig config) {
        Objects.requireNonNull(config, "config");
        this.home = config.homeCountry();
        this.homeCallingCode = UTIL.getCountryCodeForRegion(home);
        String ndd = UTIL.getNddPrefixForRegion(home, true);
        this.trunkPrefix = ndd == null ? "" : ndd;
        this.internationalPrefix = Pattern.compile(DefaultMetadataDependenciesProvider.getInstance()
                .getPhoneNumberMetadataSource().getMetadataForRegion(home).getInternationalPrefix());
        this.outsideLinePrefix = config.outsideLinePrefix();
        this.plan = NationalPlan.shipped().of(home);
        this.highRisk = HighRiskList.withExtra(config.extraHighRisk());
        this.emergencyNumbers = Collections.unmodifiableSortedSet(new TreeSet<>(
                config.emergencyNumbers().isEmpty() ? emergencyNumbersOf(home) : config.emergencyNumbers()));
    }

    /** 112, 911 and the country's own emergency numbers of up to four digits. */
    private static Set<String> emergencyNumbersOf(String country) {
        Set<String> numbers = new HashSet<>(List.of(EU_EMERGENCY, NANP_EMERGENCY));
        for (int digits = 2; digits <= 4; digits++) {
            int end = (int) Math.pow(10, digits);
            for (int n = 0; n < end; n++) {
                String candidate = String.format(Locale.ROOT, "%0" + digits + "d", n);
                if (SHORT_NUMBERS.isEmergencyNumber(candidate, country)) {
                    numbers.add(candidate);
                }
            }
        }
        return numbers;
    }

    /** The emergency numbers, as dialled without the outside-line prefix. */
    public SortedSet<String> emergencyNumbers() {
        return emergencyNumbers;
    }

    /**
     * Every dial string that reaches an emergency number: each number as it is and, with an outside-line prefix,
     * with the prefix in front.
     */
    public List<String> emergencyDialStrings() {
        List<String> out = new ArrayList<>(emergencyNumbers);
        if (!outsideLinePrefix.isEmpty()) {
            emergencyNumbers.forEach(n -> out.add(outsideLinePrefix + n));
        }
        return List.copyOf(out);
    }

    /** ISO 3166-1 code of the home country numbers are read against. */
    public String homeCountry() {
        return home;
    }

    /** What {@code dialled} is. Never throws; anything that is not a phone number is {@link Category#UNKNOWN}. */
    public Classification classify(String dialled) {
        String text = dialled == null ? "" : dialled;
        DialString dial = DialString.parse(text);
        if (dial == null) {
            return notANumber(text);
        }
        if (dial.plus()) {
            return international(text, dial.digits(), 0, false).classification;
        }
        String digits = dial.digits();
        if (!outsideLinePrefix.isEmpty() && digits.length() > outsideLinePrefix.length()
                && digits.startsWith(outsideLinePrefix)) {
            String stripped = digits.substring(outsideLinePrefix.length());
            if (isEmergency(stripped)) {
                return emergency(text, stripped);
            }
            if (isEmergency(digits)) {
                return emergency(text, digits);
            }
            Reading withoutPrefix = dialledDigits(text, stripped, true);
            if (withoutPrefix.recognised) {
                return withoutPrefix.classification;
            }
            Reading asDialled = dialledDigits(text, digits, true);
            if (asDialled.recognised || !withoutPrefix.classification.isPhoneNumber()) {
                return asDialled.classification;
            }
            return withoutPrefix.classification;
        }
        if (isEmergency(digits)) {
            return emergency(text, digits);
        }
        return dialledDigits(text, digits, false).classification;
    }

    /**
     * A classification and whether the number means something: a valid number, a listed prefix or a known short
     * number. Only computed in full when an outside-line prefix makes two readings possible.
     */
    private record Reading(Classification classification, boolean recognised) {}

    private boolean isEmergency(String digits) {
        return emergencyNumbers.contains(digits);
    }

    private Classification emergency(String text, String digits) {
        return new Classification(text, digits, home, Category.EMERGENCY, false, null);
    }

    private static Classification notANumber(String text) {
        return new Classification(text, null, null, Category.UNKNOWN, false, null);
    }

    /** Digits dialled without a plus: international if they start with the home country's international prefix. */
    private Reading dialledDigits(String text, String digits, boolean judge) {
        Matcher idd = internationalPrefix.matcher(digits);
        if (idd.lookingAt() && idd.end() < digits.length() && digits.charAt(idd.end()) != '0') {
            return international(text, digits, idd.end(), judge);
        }
        PhoneNumber number;
        try {
            number = UTIL.parse(digits, home);
        } catch (NumberParseException e) {
            return new Reading(notANumber(text), false);
        }
        String region = UTIL.getRegionCodeForNumber(number);
        if (number.getCountryCode() != homeCallingCode || (region != null && !region.equals(home))) {
            return foreign(text, number, region, judge);
        }
        return homeNumber(text, number, digits);
    }

    /** {@code digits[from..]} is a country code and a number: what follows a plus or an international prefix. */
    private Reading international(String text, String digits, int from, boolean judge) {
        String rest = digits.substring(from);
        PhoneNumber number;
        try {
            number = UTIL.parse("+" + rest, home);
        } catch (NumberParseException e) {
            if (e.getErrorType() == NumberParseException.ErrorType.INVALID_COUNTRY_CODE
                    && rest.length() <= MAX_E164_DIGITS && rest.charAt(0) != '0') {
                // dialled as international to a country code nobody has: it leaves the country, if it goes anywhere
                String e164 = "+" + rest;
                return new Reading(withRisk(text, e164, null, Category.INTERNATIONAL), false);
            }
            return new Reading(notANumber(text), false);
        }
        String region = UTIL.getRegionCodeForNumber(number);
        if (number.getCountryCode() == homeCallingCode && (region == null || region.equals(home))) {
            return homeNumber(text, number, null);
        }
        return foreign(text, number, region, judge);
    }

    private Reading foreign(String text, PhoneNumber number, String region, boolean judge) {
        String country = region == null || region.equals(PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY)
                ? null : region;
        String e164 = UTIL.format(number, PhoneNumberFormat.E164);
        return new Reading(withRisk(text, e164, country, Category.INTERNATIONAL), !judge || UTIL.isValidNumber(number));
    }

    /**
     * A number of the home country.
     *
     * @param nationalDigits the digits as dialled if dialled in national form, {@code null} if dialled with a
     *                       country code
     */
    private Reading homeNumber(String text, PhoneNumber number, String nationalDigits) {
        PhoneNumberType type = UTIL.getNumberType(number);
        boolean valid = type != PhoneNumberType.UNKNOWN;
        boolean shortNumber = !valid && nationalDigits != null
                && (trunkPrefix.isEmpty() || !nationalDigits.startsWith(trunkPrefix));
        String key;
        if (valid) {
            key = digitsOf(UTIL.format(number, PhoneNumberFormat.NATIONAL));
        } else if (shortNumber) {
            key = nationalDigits;
        } else if (UTIL.isPossibleNumber(number)) {
            // the right length but not in libphonenumber's ranges: the national plan still says what the range is
            key = trunkPrefix + UTIL.getNationalSignificantNumber(number);
        } else {
            // too short or too long to be a number of the home country: no range can say what it is
            key = null;
        }
        NationalPlan.Entry entry = key == null ? null : plan.longestPrefix(key, 0);
        boolean recognised = valid || (shortNumber && entry != null);
        Category category;
        if (entry != null) {
            category = entry.category();
        } else if (valid) {
            category = byType(type);
        } else if (shortNumber && SHORT_NUMBERS.isValidShortNumberForRegion(number, home)) {
            category = byCost(SHORT_NUMBERS.getExpectedCostForRegion(number, home));
            recognised = true;
        } else {
            category = Category.UNKNOWN;
        }
        if (shortNumber) {
            return new Reading(new Classification(text, nationalDigits, home, category, false, null), recognised);
        }
        return new Reading(withRisk(text, UTIL.format(number, PhoneNumberFormat.E164), home, category), recognised);
    }

    private Classification withRisk(String text, String e164, String country, Category category) {
        HighRiskList.Range range = highRisk.match(e164, 1);
        return new Classification(text, e164, country, category, range != null, range == null ? null : range.describe());
    }

    /** libphonenumber's number type, for home numbers the national plan table does not list. */
    static Category byType(PhoneNumberType type) {
        return switch (type) {
            case PREMIUM_RATE, SHARED_COST, PAGER -> Category.NATIONAL_PREMIUM;
            case TOLL_FREE -> Category.NATIONAL_FREEPHONE;
            case MOBILE, VOICEMAIL -> Category.NATIONAL_MOBILE;
            case FIXED_LINE, FIXED_LINE_OR_MOBILE, VOIP -> Category.NATIONAL_GEOGRAPHIC;
            case PERSONAL_NUMBER -> Category.PERSONAL_ASSISTANT;
            case UAN -> Category.NATIONAL_088;
            case UNKNOWN -> Category.UNKNOWN;
        };
    }

    private static Category byCost(ShortNumberInfo.ShortNumberCost cost) {
        return switch (cost) {
            case TOLL_FREE -> Category.NATIONAL_FREEPHONE;
            case STANDARD_RATE -> Category.NATIONAL_GEOGRAPHIC;
            case PREMIUM_RATE -> Category.NATIONAL_PREMIUM;
            case UNKNOWN_COST -> Category.UNKNOWN;
        };
    }

    private static String digitsOf(String formatted) {
        StringBuilder sb = new StringBuilder(formatted.length());
        for (int i = 0; i < formatted.length(); i++) {
            char c = formatted.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
