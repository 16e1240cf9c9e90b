package org.tollguard.hub.review;

import java.util.Locale;

/** What the queue page asks for: grouping, filter, sort and page. */
public record QueueQuery(Grouping grouping, String search, int minOperators, boolean notSpoofedOnly, Sort sort,
                         int page, int pageSize) {
    public enum Sort {
        SCORE("score DESC, last_seen DESC"),
        LAST_SEEN("last_seen DESC"),
        REPORTS("reports DESC, score DESC"),
        OPERATORS("operators DESC, score DESC"),
        KEY("key");

        final String orderBy;

        Sort(String orderBy) {
            this.orderBy = orderBy;
        }

        public String param() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Sort parse(String text) {
            for (Sort s : values()) {
                if (s.param().equals(text)) {
                    return s;
                }
            }
            return SCORE;
        }
    }

    public QueueQuery {
        search = search == null ? "" : search.strip();
        minOperators = Math.max(minOperators, 0);
        page = Math.max(page, 1);
    }

    public static QueueQuery first(Grouping grouping) {
        return new QueueQuery(grouping, "", 0, false, Sort.SCORE, 1, 100);
    }
}
