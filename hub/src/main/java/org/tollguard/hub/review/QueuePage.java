package org.tollguard.hub.review;

import java.util.List;

/** One page of the queue and how many candidates match in all. */
public record QueuePage(List<Candidate> candidates, int total, QueueQuery query) {
    public int pages() {
        return Math.max(1, (total + query.pageSize() - 1) / query.pageSize());
    }
}
