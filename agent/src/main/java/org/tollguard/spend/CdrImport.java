package org.tollguard.spend;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.numbers.Category;
import org.tollguard.numbers.Classification;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.pbx.CallRecord;
import org.tollguard.pbx.CallRecordFile;

/**
 * {@code tollguard import-cdr}: loads past calls from the PBX's own call file (Asterisk's Master.csv, which the
 * adapter reads as {@link CallRecord}s) so that a new installation has baselines on its first day. Each answered
 * outgoing call of a phone is classified, rated with the rates in force and stored like a call the agent saw
 * itself; a call already stored (same unique id) is skipped, so importing the same file twice, or a file that
 * overlaps what the agent recorded live, counts nothing twice.
 */
public final class CdrImport {
    private static final Logger log = LoggerFactory.getLogger(CdrImport.class);
    private static final int BATCH = 1000;
    /** Bad lines listed in the report; the rest are only counted. */
    static final int MAX_LISTED = 20;

    private final CallRecordFile format;
    private final NumberClassifier classifier;
    private final Rater rater;
    private final String currency;
    private final CallHistory cdrs;

    public CdrImport(CallRecordFile format, NumberClassifier classifier, Rater rater, String currency,
                     CallHistory cdrs) {
        this.format = format;
        this.classifier = classifier;
        this.rater = rater;
        this.currency = currency;
        this.cdrs = cdrs;
    }

    /** A line that could not be read. */
    public record BadLine(long line, String reason) {}

    /**
     * What an import did.
     *
     * @param imported   calls stored
     * @param duplicates calls already stored (same unique id), skipped
     * @param skipped    lines that are no answered outgoing call of a phone (dialled legs, unanswered calls,
     *                   internal calls)
     * @param badLines   how many lines could not be read; the first {@value #MAX_LISTED} are in {@code bad}
     * @param cost       what the imported calls cost, in {@code currency}
     */
    public record Report(String file, String timeZone, long lines, long imported, long duplicates, long skipped,
                         long badLines, List<BadLine> bad, BigDecimal cost, String currency) {}

    /** Imports {@code file}, whose times are in {@code zone}. */
    public Report run(Path file, ZoneId zone) throws IOException {
        Counter counter = new Counter();
        long lines;
        try {
            lines = format.read(file, zone, counter);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": no such file");
        }
        counter.flush();
        Report report = new Report(file.toString(), zone.getId(), lines, counter.imported, counter.duplicates,
                counter.skipped, counter.badLines, List.copyOf(counter.bad), counter.cost, currency);
        log.info("cdr import file={} lines={} imported={} duplicates={} skipped={} bad={} cost={} {}", file, lines,
                report.imported(), report.duplicates(), report.skipped(), report.badLines(), report.cost(), currency);
        return report;
    }

    private final class Counter implements CallRecordFile.Sink {
        final List<Cdr> batch = new ArrayList<>();
        final List<BadLine> bad = new ArrayList<>();
        long imported;
        long duplicates;
        long skipped;
        long badLines;
        BigDecimal cost = Money.ZERO;

        @Override
        public void call(long line, CallRecord r) {
            boolean answered = r.answered() != null || r.billableSeconds() > 0;
            Classification c = classifier.classify(r.destination());
            if (!answered || !c.isPhoneNumber() || c.category() == Category.UNKNOWN || r.account().isEmpty()) {
                skipped++;
                return;
            }
            Rate rate = rater.rateFor(c);
            batch.add(new Cdr(r.callId(), r.account(), r.destination(), c.e164(), c.category(), c.highRisk(),
                    r.started(), r.answered() != null ? r.answered() : r.ended().minusSeconds(r.billableSeconds()),
                    r.ended(), r.billableSeconds(), rate.cost(r.billableSeconds()), currency, rate.prefix(), "import"));
            if (batch.size() >= BATCH) {
                flush();
            }
        }

        @Override
        public void notACall(long line) {
            skipped++;
        }

        @Override
        public void bad(long line, String reason) {
            badLines++;
            if (bad.size() < MAX_LISTED) {
                bad.add(new BadLine(line, reason));
            }
        }

        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            // a file may hold the same call twice: the first one counts
            Map<String, Cdr> unique = new HashMap<>();
            List<Cdr> ordered = new ArrayList<>();
            for (Cdr cdr : batch) {
                if (unique.putIfAbsent(cdr.callId(), cdr) == null) {
                    ordered.add(cdr);
                }
            }
            duplicates += batch.size() - ordered.size();
            List<String> added = cdrs.insertAll(ordered);
            duplicates += ordered.size() - added.size();
            imported += added.size();
            java.util.Set<String> addedIds = new java.util.HashSet<>(added);
            for (Cdr cdr : ordered) {
                if (addedIds.contains(cdr.callId())) {
                    cost = cost.add(cdr.cost());
                }
            }
            batch.clear();
        }
    }
}
