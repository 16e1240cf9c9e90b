package org.tollguard.protocol;

/** The hub's endpoints (docs/hub-protocol.md), relative to its base URL. */
public final class HubPaths {
    public static final String ENROLL = "/v1/enroll";
    public static final String REPORTS = "/v1/reports";
    public static final String HEARTBEAT = "/v1/heartbeat";
    /** Where a list's files live: {@code /v1/lists/community/}. */
    public static final String LISTS = "/v1/lists/";
    public static final String HEAD = "head.json";
    public static final String SIGNATURE_SUFFIX = ".minisig";

    private HubPaths() {}

    public static String listDirectory(String list) {
        return LISTS + list + "/";
    }

    public static String head(String list) {
        return listDirectory(list) + HEAD;
    }
}
