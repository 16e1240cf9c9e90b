package org.tollguard.spend;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import org.tollguard.numbers.Category;
import org.tollguard.numbers.Classification;

/**
 * Finds the rate of a classified number: the rate deck's longest prefix of its E.164 digits, else the
 * configuration's default price for high-risk numbers (if set) or for its category. Short numbers (no E.164
 * form) are never matched against the deck: their digits are no prefix of anything international. Emergency calls
 * are free. Immutable; a new rate deck makes a new Rater.
 */
public final class Rater {
    private final RateDeck deck;
    private final Map<Category, Rate> defaults = new EnumMap<>(Category.class);

    public Rater(RateDeck deck, IdsConfig config) {
        this.deck = deck;
        for (Category c : Category.values()) {
            BigDecimal price = config.defaultPrices().get(c);
            defaults.put(c, price == null || c == Category.EMERGENCY ? Rate.free("default:" + c.id())
                    : new Rate("default:" + c.id(), c.displayName() + " (default price)", price, BigDecimal.ZERO,
                    config.defaultIncrements()));
        }
    }

    public Rate rateFor(Classification c) {
        if (c.category() == Category.EMERGENCY) {
            return defaults.get(Category.EMERGENCY);
        }
        String e164 = c.e164();
        if (e164 != null && e164.startsWith("+")) {
            Rate r = deck.find(e164.substring(1));
            if (r != null) {
                return r;
            }
        }
        if (c.highRisk() && defaults.get(Category.HIGH_RISK).perMinute().signum() > 0) {
            return defaults.get(Category.HIGH_RISK);
        }
        return defaults.get(c.category());
    }

    public RateDeck deck() {
        return deck;
    }
}
