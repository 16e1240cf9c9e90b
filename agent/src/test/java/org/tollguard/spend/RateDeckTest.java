package org.tollguard.spend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.numbers.Category;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.numbers.NumbersConfig;

class RateDeckTest {
    private static final NumberClassifier NL = new NumberClassifier(NumbersConfig.defaults());

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsTheDeckAndMatchesTheLongestPrefix() throws Exception {
        RateDeck deck = RateDeck.load(write("rates.csv", "\uFEFF" + """
                # a provider's rates
                prefix,description,price-per-minute,setup-price,increments

                31,Netherlands fixed,0.0100,0,60/60
                316,Netherlands mobile,0.0500,0,60/1
                +31909,"Netherlands amusement, 0909",1.5000,0.10,1/1
                4420,"London ""inner""\",0.02,0,30/6\r
                """));
        assertEquals(4, deck.size());
        assertEquals("31", deck.find("31201234567").prefix());
        assertEquals("316", deck.find("31612345678").prefix());
        Rate amusement = deck.find("319091234567");
        assertEquals("31909", amusement.prefix());
        assertEquals("Netherlands amusement, 0909", amusement.description());
        assertEquals(new BigDecimal("1.5000"), amusement.perMinute());
        assertEquals(new BigDecimal("0.10"), amusement.setup());
        assertEquals(new Increments(1, 1), amusement.increments());
        assertEquals("London \"inner\"", deck.find("442071234567").description());
        assertEquals(new Increments(30, 6), deck.find("442071234567").increments());
        assertNull(deck.find("4930123456"));
    }

    @Test
    void theShippedExampleDeckLoads() throws Exception {
        Path example = Path.of(System.getProperty("tollguard.root", "..")).resolve("installer/rates.example.csv");
        RateDeck deck = RateDeck.load(example);
        assertTrue(deck.size() >= 10, "rates: " + deck.size());
        assertTrue(deck.find("319091234567").perMinute().compareTo(BigDecimal.ONE) > 0, "0909 is expensive");
    }

    @Test
    void aBadLineFailsTheDeckWithFileLineAndReason() throws Exception {
        assertError("""
                prefix,description,price-per-minute,setup-price,increments
                31,Netherlands,0.01,0,60/60
                32,Belgium,0.0x,0,60/60
                """, ":3: price-per-minute '0.0x' is not an amount");
        assertError("31,Netherlands,0.01,0\n", ":1: expected 5 columns (prefix, description, price-per-minute,"
                + " setup-price, increments), found 4");
        assertError("# header comment\n31,NL,0.01,0,60/60\n031,NL,0.01,0,60/60\n", ":3: prefix '031' is not an international number prefix");
        assertError("3a,NL,0.01,0,60/60\n", ":1: prefix '3a' is not");
        assertError("1234567890123456,NL,0.01,0,60/60\n", ":1: prefix '1234567890123456' is not");
        assertError("31,NL,0.01,-1,60/60\n", ":1: setup-price '-1' is not an amount");
        assertError("31,NL,0.01,0,60\n", ":1: increments '60' are not FIRST/NEXT seconds");
        assertError("31,NL,0.01,0,0/60\n", ":1: increments 0/60: both must be between 1 and 3600 seconds");
        assertError("31,\"NL,0.01,0,60/60\n", ":1: quoted field at column 4 is not closed");
        assertError("31,\"NL\"x,0.01,0,60/60\n", ":1: unexpected 'x' after the quoted field at column 4");
        assertError("31,NL,0.01,0,60/60\n32,BE,0.02,0,60/60\n+31,NL again,0.02,0,60/60\n",
                ":3: prefix 31 is already priced on line 1");
        assertError("# nothing but comments\n\n", ": no rates in the file");
        RateDeckException e = assertThrows(RateDeckException.class, () -> RateDeck.load(dir.resolve("missing.csv")));
        assertEquals(dir.resolve("missing.csv") + ": no such file", e.getMessage());
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "31,Nederl\u00e4nd,0.01,0,60/60\n".getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(RateDeckException.class, () -> RateDeck.load(latin1));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    private void assertError(String text, String expected) throws IOException {
        Path p = write("bad.csv", text);
        RateDeckException e = assertThrows(RateDeckException.class, () -> RateDeck.load(p));
        assertEquals(p + expected, e.getMessage().substring(0, Math.min(e.getMessage().length(), (p + expected).length())),
                e.getMessage());
    }

    @Test
    void aFailedReloadKeepsThePreviousDeck() throws Exception {
        Path file = write("rates.csv", "31,NL,0.01,0,60/60\n");
        Rates rates = new Rates(config(file));
        Rater first = rates.current();
        assertEquals(1, first.deck().size());

        Files.writeString(file, "31,NL,0.01,0,60/60\n32,BE,broken,0,60/60\n");
        Rates.Reload failed = rates.reload();
        assertEquals(false, failed.loaded());
        assertTrue(failed.error().endsWith("rates.csv:2: price-per-minute 'broken' is not an amount (write e.g. 30, 12.50 or 0.0125)"),
                failed.error());
        assertSame(first, rates.current(), "the previous deck stays in use");
        assertEquals(1, failed.rates());

        Files.writeString(file, "31,NL,0.02,0,60/60\n32,BE,0.03,0,60/60\n");
        Rates.Reload ok = rates.reload();
        assertTrue(ok.loaded());
        assertEquals(2, ok.rates());
        assertEquals(new BigDecimal("0.02"), rates.current().deck().find("3120").perMinute());
    }

    @Test
    void reloadsWhenTheFileChanges() throws Exception {
        Path file = write("rates.csv", "31,NL,0.01,0,60/60\n");
        Rates rates = new Rates(config(file));
        assertNull(rates.reloadIfChanged(), "unchanged");
        Files.writeString(file, "31,NL,0.01,0,60/60\n32,BE,0.03,0,60/60\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Rates.Reload r = rates.reloadIfChanged();
        assertTrue(r != null && r.loaded(), String.valueOf(r));
        assertEquals(2, rates.current().deck().size());
        assertNull(rates.reloadIfChanged(), "read once per change");
    }

    @Test
    void aBadDeckAtStartIsAnError() throws Exception {
        Path file = write("rates.csv", "31,NL,x,0,60/60\n");
        RateDeckException e = assertThrows(RateDeckException.class, () -> new Rates(config(file)));
        assertTrue(e.getMessage().startsWith(file + ":1: "), e.getMessage());
    }

    @Test
    void raterFallsBackToCategoryPricesAndNeverMatchesShortNumbers() throws Exception {
        RateDeck deck = RateDeck.of(List.of(new Rate("1", "North America", new BigDecimal("0.01"), BigDecimal.ZERO,
                new Increments(6, 6)), new Rate("31909", "NL amusement", new BigDecimal("2.00"), BigDecimal.ZERO,
                new Increments(1, 1))), "test");
        Rater rater = new Rater(deck, IdsConfig.defaults());
        assertEquals("31909", rater.rateFor(NL.classify("09091234567")).prefix());
        assertEquals("1", rater.rateFor(NL.classify("0012125551234")).prefix());
        Rate premium = rater.rateFor(NL.classify("09001234567"));
        assertEquals("default:national-premium", premium.prefix(), "not in the deck: the category's default price");
        assertEquals(new BigDecimal("1.00"), premium.perMinute());
        assertEquals(new Increments(60, 60), premium.increments());
        Rate shortNumber = rater.rateFor(NL.classify("1844"));
        assertTrue(shortNumber.prefix().startsWith("default:"), "1844 is not +1 844: " + shortNumber);
        assertEquals("default:emergency", rater.rateFor(NL.classify("112")).prefix());
        assertEquals(0, rater.rateFor(NL.classify("112")).cost(600).signum(), "emergency calls are free");
        assertEquals(Category.INTERNATIONAL, NL.classify("+88213456789").category());
        assertEquals("default:high-risk", rater.rateFor(NL.classify("+88213456789")).prefix());
        assertEquals(0, rater.rateFor(NL.classify("0201234567")).cost(600).signum(), "geographic has no default price");
    }

    private static IdsConfig config(Path deck) {
        return new IdsConfig(null, null, "UTC", null, null, null, null, null, null, null, deck, null, null, null, null);
    }
}
