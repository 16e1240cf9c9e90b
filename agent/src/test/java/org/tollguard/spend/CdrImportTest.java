package org.tollguard.spend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.asterisk.MasterCsv;
import org.tollguard.numbers.Category;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.numbers.NumbersConfig;
import org.tollguard.store.CdrRepository;
import org.tollguard.store.Store;

class CdrImportTest {
    @TempDir
    Path dir;

    @Test
    void importsAnsweredOutgoingCallsOnceWithLineNumbersForBadLines() throws Exception {
        Path master = dir.resolve("Master.csv");
        try (var in = CdrImportTest.class.getResourceAsStream("Master.csv")) {
            Files.copy(in, master);
        }
        RateDeck deck = RateDeck.of(List.of(
                new Rate("31", "NL", new BigDecimal("0.01"), BigDecimal.ZERO, new Increments(60, 60)),
                new Rate("316", "NL mobile", new BigDecimal("0.06"), BigDecimal.ZERO, new Increments(60, 60)),
                new Rate("31900", "NL 0900", new BigDecimal("0.80"), new BigDecimal("0.05"), new Increments(1, 1)),
                new Rate("31909", "NL 0909", new BigDecimal("1.20"), BigDecimal.ZERO, new Increments(1, 1)),
                new Rate("1", "US", new BigDecimal("0.02"), BigDecimal.ZERO, new Increments(6, 6))), "test");
        try (Store store = Store.open(dir.resolve("t.db"))) {
            CdrRepository cdrs = new CdrRepository(store);
            CdrImport importer = new CdrImport(new MasterCsv(), new NumberClassifier(NumbersConfig.defaults()),
                    new Rater(deck, IdsConfig.defaults()), "EUR", cdrs);
            CdrImport.Report r = importer.run(master, ZoneOffset.UTC);
            assertEquals(11, r.lines());
            // calls: 0201234567 (line 1), 09001234567 (4), 0031612345678 (6), 09091234567 (8), US (11)
            assertEquals(5, r.imported(), r.toString());
            assertEquals(1, r.duplicates(), "line 10 repeats line 4");
            // skipped: the provider leg (2), the refused call (3), the internal call to 1002 (5)
            assertEquals(3, r.skipped());
            assertEquals(2, r.badLines());
            assertEquals(new CdrImport.BadLine(7, "end time '2026-11-22 not a time' is not YYYY-MM-DD HH:MM:SS"), r.bad().get(0));
            assertEquals(9, r.bad().get(1).line(), "a line cut short");
            assertTrue(r.bad().get(1).reason().startsWith("expected 16 to 21 columns") && r.bad().get(1).reason().endsWith("found 6"),
                    r.bad().get(1).reason());

            Cdr premium = cdrs.byId("tg-pbx-1795374596.50").orElseThrow();
            assertEquals("1002", premium.account());
            assertEquals(Category.NATIONAL_PREMIUM, premium.category());
            assertEquals(2, premium.billableSeconds());
            assertEquals(Instant.parse("2026-11-22T19:09:59Z"), premium.ended());
            assertEquals(Money.of("0.076667"), premium.cost(), "0.05 + 0.80 * 2/60");
            assertEquals("31900", premium.rate());
            assertEquals("import", premium.origin());
            assertEquals("1003", cdrs.byId("tg-pbx-1795374660.55").orElseThrow().account(), "no accountcode: the endpoint");
            BigDecimal expected = Money.of("0.01").add(Money.of("0.076667")).add(Money.of("0.12")).add(Money.of("1.22"))
                    .add(Money.of("0.20"));
            assertEquals(expected, r.cost());

            CdrImport.Report again = importer.run(master, ZoneOffset.UTC);
            assertEquals(0, again.imported(), "importing twice counts nothing twice");
            assertEquals(6, again.duplicates());
            assertEquals(5, cdrs.count());
        }
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        try (Store store = Store.open(dir.resolve("t.db"))) {
            CdrImport importer = new CdrImport(new MasterCsv(), new NumberClassifier(NumbersConfig.defaults()),
                    new Rater(RateDeck.empty(), IdsConfig.defaults()), "EUR", new CdrRepository(store));
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> importer.run(dir.resolve("nope.csv"), ZoneOffset.UTC));
            assertTrue(e.getMessage().contains("nope.csv: no such file"), e.getMessage());
        }
    }
}
