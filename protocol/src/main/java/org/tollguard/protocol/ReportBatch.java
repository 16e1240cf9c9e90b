package org.tollguard.protocol;

import java.util.List;

/** {@code POST /v1/reports}: up to {@link #MAX_REPORTS} reports of one agent. */
public record ReportBatch(int protocol, List<Report> reports) {
    public static final int MAX_REPORTS = 500;

    public static ReportBatch of(List<Report> reports) {
        return new ReportBatch(ProtocolJson.VERSION, reports);
    }
}
