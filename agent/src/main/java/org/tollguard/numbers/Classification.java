package org.tollguard.numbers;

import java.util.Objects;

/**
 * What a dialled number is.
 *
 * @param dialled      the number exactly as it was dialled
 * @param e164         the number in E.164 form ({@code +31201234567}); for a short number of the home country
 *                     (112, 1844, 116000), which has no E.164 form, the short number's digits without a plus;
 *                     {@code null} if {@code dialled} is not a phone number at all
 * @param country      ISO 3166-1 code of the country the number belongs to; {@code null} if not a phone number,
 *                     for international networks without a country (+881, +882, +883, +870) and for
 *                     unassigned country codes
 * @param category     the number's category; never {@link Category#HIGH_RISK}; {@link Category#UNKNOWN} if not a
 *                     phone number
 * @param highRisk     true if the number falls in a known fraudulent range, whatever its category
 * @param highRiskNote why it is high-risk (the range's note and prefix), {@code null} if not high-risk
 */
public record Classification(
        String dialled, String e164, String country, Category category, boolean highRisk, String highRiskNote) {

    public Classification {
        Objects.requireNonNull(dialled, "dialled");
        Objects.requireNonNull(category, "category");
        if (category == Category.HIGH_RISK) {
            throw new IllegalArgumentException("high-risk is a flag, not a category of a number");
        }
        if (highRisk != (highRiskNote != null)) {
            throw new IllegalArgumentException("a high-risk note goes with highRisk=true, and only with it");
        }
    }

    /** True if {@code dialled} could be read as a phone number ({@link #e164()} is set). */
    public boolean isPhoneNumber() {
        return e164 != null;
    }

    /** True if the number is in {@code category} or, for {@link Category#HIGH_RISK}, flagged high-risk. */
    public boolean isIn(Category c) {
        return c == Category.HIGH_RISK ? highRisk : category == c;
    }
}
