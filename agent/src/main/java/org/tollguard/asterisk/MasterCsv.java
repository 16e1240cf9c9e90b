package org.tollguard.asterisk;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import org.tollguard.csv.CsvLine;
import org.tollguard.pbx.CallRecord;
import org.tollguard.pbx.CallRecordFile;

/**
 * Reads Asterisk's {@code cdr-csv/Master.csv} (cdr_csv). Every line is one CDR, every field quoted as
 * cdr_csv writes it (numbers bare, a quote doubled), in this order (cdr/cdr_csv.c, {@code build_csv_record}):
 *
 * <pre>
 *  0 accountcode   1 src          2 dst          3 dcontext     4 clid         5 channel
 *  6 dstchannel    7 lastapp      8 lastdata     9 start       10 answer      11 end
 * 12 duration     13 billsec     14 disposition 15 amaflags
 * [16 uniqueid]      with loguniqueid=yes
 * [.. userfield]     with loguserfield=yes
 * [.. peeraccount, linkedid, sequence]   with newcdrcolumns=yes
 * </pre>
 *
 * Times are {@code YYYY-MM-DD HH:MM:SS} in the Asterisk host's local time, or UTC with {@code usegmtime=yes};
 * the caller says which. A local time the clocks skipped moves forward, one they repeated takes the earlier
 * offset. An empty answer time means not answered.
 *
 * <p>Only the CDRs of a phone's own channel (PJSIP/, SIP/, IAX2/) are calls; the legs it dials (Local/..., the
 * trunk) are part of the same call and are passed over. Without {@code loguniqueid} a CDR has no id: the channel
 * name and start time stand in for it ({@code PJSIP/1001-0000002a@2025-06-10T08:00:00Z}).
 */
public final class MasterCsv implements CallRecordFile {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final Pattern UNIQUE_ID = Pattern.compile("([A-Za-z0-9._-]+-)?\\d+\\.\\d+");
    private static final int BASE = 16;

    @Override
    public long read(Path file, ZoneId zone, Sink sink) throws IOException {
        long lineNo = 0;
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            Instant now = Instant.now();
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    CallRecord call = parse(line, zone, now);
                    if (call == null) {
                        sink.notACall(lineNo);
                    } else {
                        sink.call(lineNo, call);
                    }
                } catch (IllegalArgumentException e) {
                    sink.bad(lineNo, e.getMessage());
                }
            }
        }
        return lineNo;
    }

    /** One line; null if it is not a phone's call; throws {@link IllegalArgumentException} saying what is wrong. */
    static CallRecord parse(String line, ZoneId zone, Instant now) {
        List<String> f = CsvLine.split(line);
        if (f.size() < BASE || f.size() > BASE + 5) {
            throw new IllegalArgumentException("expected " + BASE + " to " + (BASE + 5)
                    + " columns (Asterisk cdr_csv: accountcode, src, dst, ..., disposition, amaflags[, uniqueid, ...]), found "
                    + f.size());
        }
        String channel = f.get(5);
        Instant start = time("start", f.get(9), zone, true);
        Instant answer = time("answer", f.get(10), zone, false);
        Instant end = time("end", f.get(11), zone, true);
        long duration = number("duration", f.get(12));
        long billsec = number("billsec", f.get(13));
        if (!AsteriskAccounts.isPhoneChannel(channel)) {
            return null;
        }
        String uniqueId = uniqueId(f);
        String callId = uniqueId != null ? uniqueId : channel + "@" + start;
        return new CallRecord(callId, AsteriskAccounts.of(f.get(0), channel), f.get(2), start, answer, end, duration,
                billsec, f.get(14), now);
    }

    /** The uniqueid column if the file has one: 17 or 18 columns, or 20 or 21 with newcdrcolumns. */
    private static String uniqueId(List<String> f) {
        int n = f.size();
        if (n == BASE || n == BASE + 3) {
            return null; // none, or only the new columns
        }
        String candidate = f.get(BASE);
        if ((n == BASE + 1 || n == BASE + 4) && !UNIQUE_ID.matcher(candidate).matches()) {
            return null; // the one extra column is the userfield
        }
        return candidate.isEmpty() ? null : candidate;
    }

    private static Instant time(String name, String text, ZoneId zone, boolean required) {
        if (text.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException(name + " time is empty");
            }
            return null;
        }
        try {
            return LocalDateTime.parse(text, TIME).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " time '" + text + "' is not YYYY-MM-DD HH:MM:SS");
        }
    }

    private static long number(String name, String text) {
        if (!text.matches("\\d{1,10}")) {
            throw new IllegalArgumentException(name + " '" + text + "' is not a number of seconds");
        }
        return Long.parseLong(text);
    }
}
