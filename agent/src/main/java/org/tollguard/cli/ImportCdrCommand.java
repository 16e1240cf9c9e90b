package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.tollguard.api.CdrRoutes;
import org.tollguard.asterisk.MasterCsv;
import org.tollguard.config.TollguardConfig;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.spend.CdrImport;
import org.tollguard.spend.RateDeckException;
import org.tollguard.spend.Rates;
import org.tollguard.store.CdrRepository;
import org.tollguard.store.Store;
import org.tollguard.store.StoreException;
import org.tollguard.yamlconfig.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import-cdr", description = {
        "Load past calls from Asterisk's cdr_csv file (Master.csv) so that the spend IDS has baselines from the"
                + " first day. Answered outgoing calls of phones are classified, rated with the rate deck in force and"
                + " stored; calls already stored (same uniqueid) are skipped, so a file can be imported again.",
        "With the agent running, the agent reads the file and updates today's spend and the baselines at once;"
                + " with the agent stopped, the calls go straight into its store (store.path).",
        "cdr_csv writes the Asterisk host's local time, or UTC with usegmtime=yes in cdr.conf: say which with"
                + " --utc or --time-zone (default: this host's time zone)."},
        footer = {"", "Exit status: 0 if every line was read, 1 if some lines were bad (the good ones are imported)"
                + " or nothing could be imported."})
final class ImportCdrCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "FILE", description = "Asterisk's Master.csv, e.g. /var/log/asterisk/cdr-csv/Master.csv")
    Path file;

    @Option(names = "--time-zone", paramLabel = "ZONE", description = "Zone of the file's times (e.g. Europe/Amsterdam).")
    String timeZone;

    @Option(names = "--utc", description = "The file's times are UTC (cdr.conf usegmtime=yes).")
    boolean utc;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try {
            TollguardConfig cfg = config.loadOrDefaults();
            Path abs = file.toAbsolutePath().normalize();
            if (!Files.isRegularFile(abs) || !Files.isReadable(abs)) {
                throw new CliException(abs + ": no such file, or not readable");
            }
            ZoneId zone = zone();
            JsonNode report;
            String where;
            try {
                AdminClient client = new AdminClient(cfg.api());
                report = client.post("/v1/cdr/import", new CdrRoutes.ImportRequest(abs.toString(), zone.getId()));
                where = "by the running agent";
            } catch (AdminClient.NotRunning e) {
                report = JSON.valueToTree(importOffline(cfg, abs, zone));
                where = "into " + cfg.store().path() + " (the agent is not running)";
            }
            print(out, report, where);
            return report.path("badLines").asLong() > 0 ? 1 : 0;
        } catch (CliException | ConfigException e) {
            System.err.println("tollguard: " + e.getMessage());
            return 1;
        }
    }

    private ZoneId zone() throws CliException {
        if (utc && timeZone != null) {
            throw new CliException("give --utc or --time-zone, not both");
        }
        if (utc) {
            return ZoneId.of("UTC");
        }
        try {
            return timeZone == null ? ZoneId.systemDefault() : ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new CliException("--time-zone: '" + timeZone + "' is not a time zone (e.g. Europe/Amsterdam, UTC)");
        }
    }

    private static CdrImport.Report importOffline(TollguardConfig cfg, Path file, ZoneId zone) throws CliException {
        if (!cfg.ids().enabled()) {
            throw new CliException("the spend IDS is off (ids.enabled: false): nothing to import for");
        }
        try (Store store = Store.open(cfg.store().path())) {
            Rates rates = new Rates(cfg.ids());
            return new CdrImport(new MasterCsv(), new NumberClassifier(cfg.numbers()), rates.current(), cfg.ids().currency(),
                    new CdrRepository(store)).run(file, zone);
        } catch (StoreException | IOException e) {
            throw new CliException(e.getMessage());
        } catch (RateDeckException e) {
            throw new CliException("rate deck " + e.getMessage());
        }
    }

    static void print(PrintStream out, JsonNode r, String where) {
        String cost = new BigDecimal(r.path("cost").asText("0")).setScale(2, RoundingMode.HALF_UP).toPlainString();
        out.printf("imported %d calls (%s %s) from %s %s, times read as %s%n", r.path("imported").asLong(), cost,
                r.path("currency").asText(), r.path("file").asText(), where, r.path("timeZone").asText());
        out.printf("  %d lines: %d imported, %d already stored, %d not an answered outgoing call, %d bad%n",
                r.path("lines").asLong(), r.path("imported").asLong(), r.path("duplicates").asLong(),
                r.path("skipped").asLong(), r.path("badLines").asLong());
        int listed = 0;
        for (JsonNode bad : r.path("bad")) {
            out.printf("  line %d: %s%n", bad.path("line").asLong(), bad.path("reason").asText());
            listed++;
        }
        long more = r.path("badLines").asLong() - listed;
        if (more > 0) {
            out.printf("  (and %d more bad lines)%n", more);
        }
    }
}
