package org.tollguard.spend;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.tollguard.numbers.Category;
import org.tollguard.numbers.Classification;

/** Which calls count toward an account's spend: the monitored categories, and high-risk numbers if listed. */
public record SpendFilter(Set<Category> categories, boolean highRisk) {
    public SpendFilter {
        categories = categories.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(categories));
    }

    public static SpendFilter of(List<Category> monitored) {
        EnumSet<Category> set = EnumSet.noneOf(Category.class);
        monitored.stream().filter(c -> c != Category.HIGH_RISK).forEach(set::add);
        return new SpendFilter(set, monitored.contains(Category.HIGH_RISK));
    }

    public boolean counts(Category category, boolean isHighRisk) {
        return categories.contains(category) || (highRisk && isHighRisk);
    }

    public boolean counts(Classification c) {
        return counts(c.category(), c.highRisk());
    }
}
