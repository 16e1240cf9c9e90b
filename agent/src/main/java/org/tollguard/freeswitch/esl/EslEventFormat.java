package org.tollguard.freeswitch.esl;

/** How FreeSWITCH serialises events on the socket ({@code event plain ...} or {@code event json ...}). */
public enum EslEventFormat {
    PLAIN("plain"),
    JSON("json");

    private final String keyword;

    EslEventFormat(String keyword) {
        this.keyword = keyword;
    }

    /** The word in the {@code event} command. */
    public String keyword() {
        return keyword;
    }
}
