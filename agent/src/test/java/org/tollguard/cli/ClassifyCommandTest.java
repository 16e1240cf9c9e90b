package org.tollguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.config.ConfigLoader;
import picocli.CommandLine;

class ClassifyCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private List<String> lines() {
        return out.toString().lines().toList();
    }

    @Test
    void printsOneAlignedLinePerNumber() {
        int status = run("classify", "--home-country", "NL", "-c", dir.resolve("t.yml").toString(), "x");
        assertEquals(78, status); // explicit --config that does not exist: an error, not defaults
        assertTrue(err.toString().contains("t.yml: no such file"), err.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, runWithConfig("", "0906-334455", "00881 6 31234567", "abc", "112", ""));
        assertEquals(List.of(
                "NUMBER            E.164          COUNTRY  CATEGORY            HIGH-RISK",
                "0906-334455       +31906334455   NL       national-amusement  -",
                "00881 6 31234567  +881631234567  -        international       Global Mobile Satellite System (Iridium, Globalstar and others) (+881)",
                "abc               not a phone number",
                "112               112            NL       emergency           -",
                "\"\"                not a phone number"), lines());
    }

    @Test
    void failsOnlyIfNothingIsAPhoneNumber() {
        assertEquals(1, runWithConfig("", "abc", "*#21#"));
        assertEquals(List.of("NUMBER  E.164  COUNTRY  CATEGORY  HIGH-RISK", "abc     not a phone number",
                "*#21#   not a phone number"), lines());
        out.getBuffer().setLength(0);
        assertEquals(0, runWithConfig("", "abc", "999"));
    }

    @Test
    void readsTheNumbersSectionOfTheConfiguration() {
        String yaml = """
                numbers:
                  home-country: GB
                  outside-line-prefix: 9
                  extra-high-risk: [+3120674]
                """;
        assertEquals(0, runWithConfig(yaml, "9 999", "9 0031 20 6747000", "9 020 7946 0000"));
        List<String> lines = lines();
        assertTrue(lines.get(1).matches("9 999 +999 +GB +emergency +-"), lines.get(1));
        assertTrue(lines.get(2).matches(
                "9 0031 20 6747000 +\\+31206747000 +NL +international +listed in the configuration .*\\(\\+3120674\\)"),
                lines.get(2));
        assertTrue(lines.get(3).matches("9 020 7946 0000 +\\+442079460000 +GB +national-geographic +-"), lines.get(3));
    }

    @Test
    void homeCountryOptionOverridesTheConfiguration() {
        assertEquals(0, runWithConfig("numbers:\n  home-country: GB\n", "--home-country", "de", "110"));
        assertTrue(lines().get(1).matches("110 +110 +DE +emergency +-"), lines().get(1));
        out.getBuffer().setLength(0);
        assertEquals(2, runWithConfig("", "--home-country", "XX", "110"));
        assertTrue(err.toString().contains("--home-country: 'XX' is not a country code"), err.toString());
    }

    @Test
    void badConfigurationIsReported() {
        assertEquals(78, runWithConfig("numbers:\n  home-country: XX\n", "112"));
        assertTrue(err.toString().contains("tollguard.yml:2: numbers.home-country: 'XX' is not a country code"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void worksWithDefaultsWhenTheDefaultConfigurationIsAbsent() {
        assumeFalse(Files.exists(ConfigLoader.DEFAULT_PATH), "this machine has " + ConfigLoader.DEFAULT_PATH);
        assertEquals(0, run("classify", "0909-0123456"));
        assertTrue(lines().get(1).matches("0909-0123456 +\\+319090123456 +NL +national-amusement +-"), out.toString());
    }

    @Test
    void needsANumber() {
        assertEquals(2, run("classify"));
        assertTrue(err.toString().contains("Missing required parameter"), err.toString());
    }

    private int runWithConfig(String yaml, String... args) {
        Path file = dir.resolve("tollguard.yml");
        try {
            Files.writeString(file, yaml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String[] all = new String[args.length + 3];
        all[0] = "classify";
        all[1] = "--config";
        all[2] = file.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return run(all);
    }
}
