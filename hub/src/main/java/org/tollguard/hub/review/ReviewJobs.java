package org.tollguard.hub.review;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the review side does in the hub's background loop: canaries, auto-listing rules, the list-size sample. */
public final class ReviewJobs implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReviewJobs.class);

    private final CanaryWatch canaries;
    private final AutoRules rules;
    private final ListSize listSize;

    public ReviewJobs(CanaryWatch canaries, AutoRules rules, ListSize listSize) {
        this.canaries = canaries;
        this.rules = rules;
        this.listSize = listSize;
    }

    @Override
    public void run() {
        try {
            canaries.scan();
            rules.run();
            listSize.sample();
        } catch (Exception e) {
            log.error("review jobs failed; trying again at the next run", e);
        }
    }
}
