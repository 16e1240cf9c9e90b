package org.tollguard.api;

import java.io.IOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.pbx.CallRecordFile;
import org.tollguard.spend.CdrImport;
import org.tollguard.spend.SpendEngine;
import org.tollguard.store.CdrRepository;

/**
 * {@code POST /v1/cdr/import} with {@code {"path": "/var/log/asterisk/cdr-csv/Master.csv", "timeZone": "UTC"}}:
 * the agent reads the file (the CLI and the agent run on the same host, as root), stores the past calls and
 * recomputes today's spend and the baselines.
 */
public final class CdrRoutes implements Route {
    private final SpendEngine spend;
    private final NumberClassifier classifier;
    private final CdrRepository cdrs;
    private final CallRecordFile format;

    public CdrRoutes(SpendEngine spend, NumberClassifier classifier, CdrRepository cdrs, CallRecordFile format) {
        this.format = format;
        this.spend = spend;
        this.classifier = classifier;
        this.cdrs = cdrs;
    }

    /** What {@code tollguard import-cdr} sends; {@code timeZone} is the zone of the file's times. */
    public record ImportRequest(String path, String timeZone) {}

    @Override
    public Object handle(ApiRequest r) {
        if (!r.rest().equals("import")) {
            throw new ApiException(404, "no such resource: /v1/cdr/" + r.rest());
        }
        if (!r.method().equals("POST")) {
            throw ApiException.methodNotAllowed(r);
        }
        if (spend == null) {
            throw new ApiException(409, "the spend IDS is off (ids.enabled: false)");
        }
        ImportRequest req = r.bodyAs(ImportRequest.class);
        if (req.path() == null || !Path.of(req.path()).isAbsolute()) {
            throw new ApiException(400, "path must be an absolute file name");
        }
        ZoneId zone;
        try {
            zone = req.timeZone() == null ? ZoneId.systemDefault() : ZoneId.of(req.timeZone());
        } catch (DateTimeException e) {
            throw new ApiException(400, "'" + req.timeZone() + "' is not a time zone");
        }
        try {
            CdrImport.Report report = new CdrImport(format, classifier, spend.rates().current(), spend.config().currency(), cdrs)
                    .run(Path.of(req.path()), zone);
            spend.historyChanged();
            return report;
        } catch (IOException e) {
            throw new ApiException(400, e.getMessage());
        }
    }
}
