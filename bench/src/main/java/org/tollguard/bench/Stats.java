package org.tollguard.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Nearest-rank percentiles of a sample. */
final class Stats {
    private final List<Double> sorted;

    Stats(List<Double> values) {
        sorted = new ArrayList<>(values);
        Collections.sort(sorted);
    }

    int n() {
        return sorted.size();
    }

    double percentile(double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    double max() {
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1);
    }

    double mean() {
        return sorted.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** {@code n p50 p90 p99 max} as a markdown table row's cells. */
    String row(String format) {
        return String.format(Locale.ROOT, "%d | " + format + " | " + format + " | " + format + " | " + format, n(),
                percentile(50), percentile(90), percentile(99), max());
    }
}
