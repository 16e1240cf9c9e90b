package org.tollguard.hub.web;

import java.util.Map;

/**
 * The line a page shows after a form did something (post, redirect, get). Only these fixed texts: a link cannot
 * make the page say anything else.
 */
final class Notices {
    private static final Map<String, String> TEXTS = Map.ofEntries(
            Map.entry("approved", "Approved %s candidate(s): listed, published with the next generation."),
            Map.entry("rejected", "Rejected %s candidate(s)."),
            Map.entry("delisted", "Delisted %s address(es): removed from the published list."),
            Map.entry("allowlisted", "Added to the allowlist."),
            Map.entry("allowlist-removed", "Removed from the allowlist."),
            Map.entry("rule-saved", "Rule saved."),
            Map.entry("rule-removed", "Rule removed."),
            Map.entry("abuse-reports-on", "Opted in to abuse reports: its evidence may be sent to the networks it reports."),
            Map.entry("abuse-reports-off", "Opted out of abuse reports: none of its evidence is sent."),
            Map.entry("none-selected", "Nothing was selected."));

    private Notices() {}

    static String text(String code, String count) {
        String text = code == null ? null : TEXTS.get(code);
        if (text == null) {
            return null;
        }
        String n = count != null && count.matches("\\d{1,7}") ? count : "some";
        return text.formatted(n);
    }
}
