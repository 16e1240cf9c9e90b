package org.tollguard.spend;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Currency;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tollguard.numbers.Category;
import org.tollguard.yamlconfig.Checks;
import org.tollguard.yamlconfig.Durations;

/**
 * {@code ids:} the spend IDS. Each account's spend on the monitored categories today (finished calls plus the
 * accrued cost of answered calls still in progress) is compared with its threshold: its baseline (average daily
 * spend over the window) plus its delta. Passing the threshold blocks the account and hangs up its calls.
 *
 * @param enabled             whether the spend IDS runs
 * @param currency            ISO 4217 code of every price, delta and floor (default EUR); history is not converted
 * @param timeZone            where days begin and end (a tz database name such as Europe/Amsterdam); default: the
 *                            system's time zone
 * @param window              how many days before today the baseline averages over (whole days, default 60d)
 * @param minHistory          accounts whose history (from their first stored call, within the window) covers fewer
 *                            days than this use {@code floor} as their baseline (whole days, default 7d)
 * @param floor               the baseline of accounts with too little history (default 0: their threshold is the
 *                            delta alone)
 * @param delta               how much above its baseline an account may spend in a day (default 50)
 * @param groupDeltas         delta per group of {@code calls.groups}
 * @param accountDeltas       delta per account (over its group's and the default)
 * @param monitoredCategories the categories whose spend counts; {@code high-risk} counts high-risk numbers whatever
 *                            their category (default international, national-premium, national-amusement, high-risk)
 * @param rateDeck            the rate deck (CSV, see installer/rates.example.csv); none: default prices only
 * @param rateDeckCheck       how often the rate deck file is checked for changes and reloaded (0s: only on
 *                            {@code tollguard reload-rates})
 * @param defaultPrices       price per minute by category (or high-risk) for numbers the deck does not cover;
 *                            categories not listed cost nothing
 * @param defaultIncrements   billing increments of the default prices (first/next seconds, e.g. 60/60)
 * @param tick                how often live calls' accrued cost is re-evaluated (at most 1s)
 */
public record IdsConfig(
        Boolean enabled,
        String currency,
        String timeZone,
        Duration window,
        Duration minHistory,
        @JsonDeserialize(using = MoneyText.class) BigDecimal floor,
        @JsonDeserialize(using = MoneyText.class) BigDecimal delta,
        @JsonDeserialize(contentUsing = MoneyText.class) Map<String, BigDecimal> groupDeltas,
        @JsonDeserialize(contentUsing = MoneyText.class) Map<String, BigDecimal> accountDeltas,
        List<Category> monitoredCategories,
        Path rateDeck,
        Duration rateDeckCheck,
        @JsonDeserialize(contentUsing = MoneyText.class) Map<Category, BigDecimal> defaultPrices,
        Increments defaultIncrements,
        Duration tick) {

    public static final List<Category> DEFAULT_MONITORED = List.of(Category.INTERNATIONAL, Category.NATIONAL_PREMIUM,
            Category.NATIONAL_AMUSEMENT, Category.HIGH_RISK);
    /** Per-minute prices for numbers no rate deck covers: rough, on the safe (high) side; set your own. */
    public static final Map<Category, BigDecimal> DEFAULT_PRICES = builtInPrices();
    private static final int MAX_WINDOW_DAYS = 366;

    public IdsConfig {
        enabled = enabled == null || enabled;
        currency = currency == null ? "EUR" : currency.strip().toUpperCase(java.util.Locale.ROOT);
        try {
            Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("currency: '" + currency + "' is not an ISO 4217 currency code (e.g. EUR, USD, GBP)");
        }
        timeZone = zone("time-zone", timeZone).getId();
        window = window == null ? Duration.ofDays(60) : window;
        minHistory = minHistory == null ? Duration.ofDays(7) : minHistory;
        wholeDays("window", window, 1, MAX_WINDOW_DAYS);
        wholeDays("min-history", minHistory, 0, window.toDays());
        floor = floor == null ? BigDecimal.ZERO : floor;
        delta = delta == null ? new BigDecimal("50") : delta;
        groupDeltas = groupDeltas == null ? Map.of() : Map.copyOf(groupDeltas);
        accountDeltas = accountDeltas == null ? Map.of() : Map.copyOf(accountDeltas);
        monitoredCategories = monitoredCategories == null ? DEFAULT_MONITORED : List.copyOf(monitoredCategories);
        for (Category c : monitoredCategories) {
            if (c == Category.EMERGENCY || c == Category.UNKNOWN) {
                throw new IllegalArgumentException("monitored-categories: " + c.id() + " calls are never charged");
            }
        }
        rateDeckCheck = rateDeckCheck == null ? Duration.ofSeconds(5) : rateDeckCheck;
        if (rateDeckCheck.isNegative()) {
            throw new IllegalArgumentException("rate-deck-check: must not be negative");
        }
        defaultPrices = defaultPrices == null ? DEFAULT_PRICES : copy(defaultPrices);
        defaultIncrements = defaultIncrements == null ? new Increments(60, 60) : defaultIncrements;
        tick = tick == null ? Duration.ofSeconds(1) : tick;
        Checks.positive("tick", tick);
        if (tick.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("tick: must be at most 1s (live calls are re-evaluated at least every second)");
        }
    }

    public static IdsConfig defaults() {
        return new IdsConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The zone days are counted in. */
    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    /** The account's delta: its own, else its group's, else the default. */
    public BigDecimal deltaFor(String account, String group) {
        BigDecimal own = accountDeltas.get(account);
        if (own != null) {
            return own;
        }
        BigDecimal ofGroup = group == null ? null : groupDeltas.get(group);
        return ofGroup != null ? ofGroup : delta;
    }

    /** Fails if a group delta names a group that {@code calls.groups} does not define. */
    public void checkGroups(Collection<String> groups) {
        for (String g : groupDeltas.keySet()) {
            if (!groups.contains(g)) {
                throw new IllegalArgumentException("ids: group-deltas: no group '" + g + "' in calls.groups"
                        + (groups.isEmpty() ? " (none defined)" : " (defined: " + String.join(", ", new TreeSet<>(groups)) + ")"));
            }
        }
    }

    private static ZoneId zone(String key, String text) {
        if (text == null) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a time zone (write a tz database name such as Europe/Amsterdam, or UTC)");
        }
    }

    private static void wholeDays(String key, Duration d, long min, long max) {
        if (d.isNegative() || !d.equals(Duration.ofDays(d.toDays()))) {
            throw new IllegalArgumentException(key + ": must be whole days (e.g. 60d), not " + Durations.format(d));
        }
        if (d.toDays() < min || d.toDays() > max) {
            throw new IllegalArgumentException(key + ": must be between " + min + "d and " + max + "d, not " + Durations.format(d));
        }
    }

    private static Map<Category, BigDecimal> copy(Map<Category, BigDecimal> prices) {
        Map<Category, BigDecimal> out = new EnumMap<>(Category.class);
        prices.forEach((c, p) -> {
            if (c == Category.EMERGENCY) {
                throw new IllegalArgumentException("default-prices: emergency calls are never charged");
            }
            out.put(c, p);
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    private static Map<Category, BigDecimal> builtInPrices() {
        Map<Category, BigDecimal> m = new LinkedHashMap<>();
        m.put(Category.INTERNATIONAL, new BigDecimal("0.50"));
        m.put(Category.NATIONAL_PREMIUM, new BigDecimal("1.00"));
        m.put(Category.NATIONAL_AMUSEMENT, new BigDecimal("1.50"));
        m.put(Category.HIGH_RISK, new BigDecimal("3.00"));
        return copy(m);
    }
}
