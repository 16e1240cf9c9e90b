package org.tollguard.numbers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What kind of destination a dialled number is, relative to the home country. The {@link #id() ids} are stable:
 * operators write them in the configuration to block categories per account.
 */
public enum Category {
    /** NL 0906 (adult) and 0909 (entertainment): the most expensive national lines. */
    NATIONAL_AMUSEMENT("national-amusement", "National amusement lines"),
    /** Premium-rate lines other than amusement: NL 0900, 18xy information numbers, other countries' premium rate. */
    NATIONAL_PREMIUM("national-premium", "National premium-rate lines"),
    /** Mobile numbers, including NL M2M 097. */
    NATIONAL_MOBILE("national-mobile", "National mobile"),
    /** Fixed lines with an area code, and numbers charged like them (NL 085/091, municipal 14xxx). */
    NATIONAL_GEOGRAPHIC("national-geographic", "National geographic"),
    /** NL 084/087 and other countries' personal numbers (GB 070, DE 0700). */
    PERSONAL_ASSISTANT("personal-assistant", "Personal assistant numbers"),
    /** NL 088 company numbers and other countries' universal access numbers. */
    NATIONAL_088("national-088", "National company numbers (088)"),
    /** NL 0800 and other free-to-caller numbers. */
    NATIONAL_FREEPHONE("national-freephone", "National freephone"),
    /** Any number outside the home country. */
    INTERNATIONAL("international", "International"),
    /** Emergency numbers: never blocked, never hung up. */
    EMERGENCY("emergency", "Emergency"),
    /** A number that could not be placed in a category, or no phone number at all. */
    UNKNOWN("unknown", "Unknown"),
    /**
     * Known fraudulent destinations (IRSF ranges, satellite and international network codes). Blockable like a
     * category, but {@link NumberClassifier#classify} never returns it as the category of a number: it sets
     * {@link Classification#highRisk()} on top of the number's own category.
     */
    HIGH_RISK("high-risk", "High-risk destinations");

    private final String id;
    private final String displayName;

    Category(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** The stable identifier used in the configuration and on the command line, e.g. {@code national-premium}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** The name shown to operators. */
    public String displayName() {
        return displayName;
    }

    /** The category with this {@link #id() id} (case and surrounding blanks ignored). */
    @JsonCreator
    public static Category fromId(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(java.util.Locale.ROOT);
        for (Category c : values()) {
            if (c.id.equals(wanted)) {
                return c;
            }
        }
        throw new IllegalArgumentException("'" + id + "' is not a number category (one of: "
                + Arrays.stream(values()).map(Category::id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
