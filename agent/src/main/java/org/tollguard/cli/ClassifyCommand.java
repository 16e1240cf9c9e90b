package org.tollguard.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tollguard.numbers.Classification;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.numbers.NumbersConfig;
import org.tollguard.yamlconfig.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {
                "Show how tollguard reads dialled numbers: E.164 form, country, category and whether the"
                        + " destination is high-risk; one line per number.",
                "Numbers are read with the numbers: section of the configuration file if it exists (or was given"
                        + " with --config), else with the defaults (home country NL, no outside-line prefix)."},
        footer = {"",
                "Exit status: 0 if at least one NUMBER is a phone number, 1 if none is,"
                        + " 2 on bad usage, 78 if the configuration file cannot be used."})
final class ClassifyCommand implements Callable<Integer> {
    static final String NOT_A_NUMBER = "not a phone number";

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Option(names = "--home-country", paramLabel = "CC",
            description = "Read the numbers as dialled in this country (ISO code; overrides numbers.home-country).")
    String homeCountry;

    @Parameters(arity = "1..*", paramLabel = "NUMBER", description = "Numbers as a phone would dial them.")
    List<String> numbers;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NumbersConfig settings;
        try {
            settings = settings();
        } catch (ConfigException e) {
            err.println("tollguard: " + e.getMessage());
            return 78; // EX_CONFIG
        } catch (IllegalArgumentException e) {
            err.println("tollguard: --" + e.getMessage());
            return 2;
        }
        NumberClassifier classifier = new NumberClassifier(settings);
        List<Classification> results = new ArrayList<>();
        for (String number : numbers) {
            results.add(classifier.classify(number));
        }
        print(out, results);
        out.flush();
        return results.stream().anyMatch(Classification::isPhoneNumber) ? 0 : 1;
    }

    /** The configuration's numbers section, if there is a file to read, with --home-country on top. */
    private NumbersConfig settings() throws ConfigException {
        boolean explicit = spec.commandLine().getParseResult().hasMatchedOption("--config");
        NumbersConfig settings = explicit || Files.exists(config.file)
                ? config.load().numbers()
                : NumbersConfig.defaults();
        if (homeCountry != null) {
            settings = new NumbersConfig(homeCountry, settings.outsideLinePrefix(), settings.extraHighRisk(),
                    settings.emergencyNumbers());
        }
        return settings;
    }

    static void print(PrintWriter out, List<Classification> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NUMBER", "E.164", "COUNTRY", "CATEGORY", "HIGH-RISK"});
        for (Classification c : results) {
            String dialled = c.dialled().isEmpty() ? "\"\"" : c.dialled();
            if (!c.isPhoneNumber()) {
                rows.add(new String[] {dialled, NOT_A_NUMBER});
            } else {
                rows.add(new String[] {dialled, c.e164(), c.country() == null ? "-" : c.country(),
                        c.category().id(), c.highRisk() ? c.highRiskNote() : "-"});
            }
        }
        int[] width = new int[5];
        for (String[] row : rows) {
            // a "not a phone number" line does not widen the columns it runs across
            for (int i = 0; i < row.length && (row.length == width.length || i == 0); i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            out.println(line);
        }
    }
}
