package org.tollguard.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumberClassifierTest {
    private static final NumberClassifier NL = classifier("NL", null);

    private static NumberClassifier classifier(String home, String outsideLinePrefix, String... extraHighRisk) {
        return new NumberClassifier(new NumbersConfig(home, outsideLinePrefix, List.of(extraHighRisk), null));
    }

    /** dialled | E.164 | country | category | high-risk prefix (- if none) */
    @ParameterizedTest(name = "NL {0} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # amusement: 0906 adult, 0909 entertainment; libphonenumber calls both PREMIUM_RATE
            0906-1234            | +319061234     | NL | national-amusement  | -
            0906 334455          | +31906334455   | NL | national-amusement  | -
            0909-0123456         | +319090123456  | NL | national-amusement  | -
            +31 909 0123456      | +319090123456  | NL | national-amusement  | -
            # premium excluding amusement: 0900, 18xy information numbers
            0900-9292            | +319009292     | NL | national-premium    | -
            0900 1234567         | +319001234567  | NL | national-premium    | -
            0900-8844            | +319008844     | NL | national-premium    | -
            1844                 | 1844           | NL | national-premium    | -
            1888                 | 1888           | NL | national-premium    | -
            0661234567           | +31661234567   | NL | national-premium    | -
            # mobile, M2M 097
            06-12345678          | +31612345678   | NL | national-mobile     | -
            06 1234 5678         | +31612345678   | NL | national-mobile     | -
            0031 6 12345678      | +31612345678   | NL | national-mobile     | -
            097012345678         | +3197012345678 | NL | national-mobile     | -
            # geographic, and numbers charged as geographic
            020-6747000          | +31206747000   | NL | national-geographic | -
            (020) 674 7000       | +31206747000   | NL | national-geographic | -
            020.674.7000         | +31206747000   | NL | national-geographic | -
            010-4899911          | +31104899911   | NL | national-geographic | -
            0118 123456          | +31118123456   | NL | national-geographic | -
            085-1234567          | +31851234567   | NL | national-geographic | -
            091-1234567          | +31911234567   | NL | national-geographic | -
            14 020               | +3114020       | NL | national-geographic | -
            1400                 | 1400           | NL | national-geographic | -
            0031 20 6747000      | +31206747000   | NL | national-geographic | -
            +31 (0)20 674 7000   | +31206747000   | NL | national-geographic | -
            +31206747000         | +31206747000   | NL | national-geographic | -
            # a plus and an international prefix together: read as the phone network would
            +0031201234567       | +31201234567   | NL | national-geographic | -
            # personal assistant 084/087, company numbers 088: all UAN to libphonenumber
            084-1234567          | +31841234567   | NL | personal-assistant  | -
            087-1234567          | +31871234567   | NL | personal-assistant  | -
            088-8982001          | +31888982001   | NL | national-088        | -
            # freephone
            0800-0543            | +318000543     | NL | national-freephone  | -
            0800-7000            | +318007000     | NL | national-freephone  | -
            0800 123 4567        | +318001234567  | NL | national-freephone  | -
            116111               | 116111         | NL | national-freephone  | -
            # emergency: 112 and 911 everywhere; 999 is not an NL emergency number
            112                  | 112            | NL | emergency           | -
            911                  | 911            | NL | emergency           | -
            999                  | 999            | NL | unknown             | -
            # international, with and without a high-risk range
            0044 20 7946 0000    | +442079460000  | GB | international       | -
            +44 (0)20 7946 0000  | +442079460000  | GB | international       | -
            001 212 736 3100     | +12127363100   | US | international       | -
            0032 2 234 56 78     | +3222345678    | BE | international       | -
            00881 6 31234567     | +881631234567  | -  | international       | 881
            +00881 6 31234567    | +881631234567  | -  | international       | 881
            +882 16 1234 5678    | +8821612345678 | -  | international       | 882
            +88213123456         | +88213123456   | -  | international       | 882
            00870 772 123 456    | +870772123456  | -  | international       | 870
            0053 7 8333333       | +5378333333    | CU | international       | 53
            00371 90012345       | +37190012345   | LV | international       | 37190
            00371 67 123456      | +37167123456   | LV | international       | -
            001 876 555 1234     | +18765551234   | JM | international       | 1876
            00252 61 1234567     | +252611234567  | SO | international       | 252
            00999 123456         | +999123456     | -  | international       | -
            # unallocated or impossible NL numbers
            0692345678           | +31692345678   | NL | unknown             | -
            0442079460000        | +31442079460000| NL | unknown             | -
            0676012345           | +31676012345   | NL | unknown             | -
            """)
    void netherlands(String dialled, String e164, String country, String category, String highRiskPrefix) {
        assertClassified(NL.classify(dialled), dialled, e164, country, category, highRiskPrefix);
    }

    @ParameterizedTest(name = "not a phone number: [{0}]")
    @ValueSource(strings = {"", " ", "abc", "*#21#", "#31#0612345678", "0800-FLOWERS", "+31 20 +", "tel:+31201234567",
            "1234567890123456789012345678901234567890", "+", "00", "0", "+0", "--", "06\u200b12345678"})
    void garbage(String dialled) {
        Classification c = NL.classify(dialled);
        assertEquals(new Classification(dialled, null, null, Category.UNKNOWN, false, null), c);
        assertFalse(c.isPhoneNumber());
    }

    @Test
    void nullIsNotANumber() {
        assertEquals(new Classification("", null, null, Category.UNKNOWN, false, null), NL.classify(null));
    }

    /** dialled | E.164 | country | category | high-risk prefix */
    @ParameterizedTest(name = "NL, outside line 0: {0} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            0 020 6747000        | +31206747000   | NL | national-geographic | -
            0 0906 334455        | +31906334455   | NL | national-amusement  | -
            0 1844               | 1844           | NL | national-premium    | -
            0 00 44 20 7946 0000 | +442079460000  | GB | international       | -
            0 00881 6 31234567   | +881631234567  | -  | international       | 881
            0 112                | 112            | NL | emergency           | -
            112                  | 112            | NL | emergency           | -
            # handed over without the prefix: read as dialled when the stripped number means nothing
            020 6747000          | +31206747000   | NL | national-geographic | -
            0906 334455          | +31906334455   | NL | national-amusement  | -
            00 44 20 7946 0000   | +442079460000  | GB | international       | -
            00881 6 31234567     | +881631234567  | -  | international       | 881
            0031 20 6747000      | +31206747000   | NL | national-geographic | -
            +44 20 7946 0000     | +442079460000  | GB | international       | -
            """)
    void outsideLineZero(String dialled, String e164, String country, String category, String highRiskPrefix) {
        assertClassified(classifier("NL", "0").classify(dialled), dialled, e164, country, category, highRiskPrefix);
    }

    @ParameterizedTest(name = "NL, outside line 9: {0} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            9 020-6747000        | +31206747000   | NL | national-geographic | -
            9 0909 0123456       | +319090123456  | NL | national-amusement  | -
            9 06 12345678        | +31612345678   | NL | national-mobile     | -
            9 0044 20 7946 0000  | +442079460000  | GB | international       | -
            9 112                | 112            | NL | emergency           | -
            9 911                | 911            | NL | emergency           | -
            911                  | 911            | NL | emergency           | -
            020-6747000          | +31206747000   | NL | national-geographic | -
            """)
    void outsideLineNine(String dialled, String e164, String country, String category, String highRiskPrefix) {
        assertClassified(classifier("NL", "9").classify(dialled), dialled, e164, country, category, highRiskPrefix);
    }

    @ParameterizedTest(name = "BE {0} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            02 234 56 78         | +3222345678    | BE | national-geographic | -
            0470 12 34 56        | +32470123456   | BE | national-mobile     | -
            0800 12 345          | +3280012345    | BE | national-freephone  | -
            0900 12 345          | +3290012345    | BE | national-premium    | 32900
            070 22 33 44         | +3270223344    | BE | national-premium    | -
            078 10 23 45         | +3278102345    | BE | national-088        | -
            112                  | 112            | BE | emergency           | -
            100                  | 100            | BE | emergency           | -
            101                  | 101            | BE | emergency           | -
            911                  | 911            | BE | emergency           | -
            0031 20 6747000      | +31206747000   | NL | international       | -
            0906 334455          | +32906334455   | BE | unknown             | -
            """)
    void belgium(String dialled, String e164, String country, String category, String highRiskPrefix) {
        assertClassified(classifier("BE", null).classify(dialled), dialled, e164, country, category, highRiskPrefix);
    }

    @ParameterizedTest(name = "DE {0} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            030 1234567          | +49301234567   | DE | national-geographic | -
            0151 12345678        | +4915112345678 | DE | national-mobile     | -
            0800 1234567         | +498001234567  | DE | national-freephone  | -
            0900 1 234567        | +499001234567  | DE | national-premium    | 49900
            0180 1 234567        | +491801234567  | DE | national-premium    | -
            01377 123456         | +491377123456  | DE | national-premium    | 49137
            0700 12345678        | +4970012345678 | DE | personal-assistant  | -
            11880                | 11880          | DE | national-premium    | -
            116116               | 116116         | DE | national-freephone  | -
            110                  | 110            | DE | emergency           | -
            112                  | 112            | DE | emergency           | -
            0031 20 6747000      | +31206747000   | NL | international       | -
            """)
    void germany(String dialled, String e164, String country, String category, String highRiskPrefix) {
        assertClassified(classifier("DE", null).classify(dialled), dialled, e164, country, category, highRiskPrefix);
    }

    @ParameterizedTest(name = "GB {0} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            020 7946 0000        | +442079460000  | GB | national-geographic | -
            0121 234 5678        | +441212345678  | GB | national-geographic | -
            07400 123456         | +447400123456  | GB | national-mobile     | -
            0800 123 4567        | +448001234567  | GB | national-freephone  | -
            0901 234 5678        | +449012345678  | GB | national-premium    | 449
            0845 123 4567        | +448451234567  | GB | national-premium    | -
            0300 123 4567        | +443001234567  | GB | national-088        | -
            070 1234 5678        | +447012345678  | GB | personal-assistant  | 4470
            118 118              | 118118         | GB | national-premium    | -
            999                  | 999            | GB | emergency           | -
            112                  | 112            | GB | emergency           | -
            911                  | 911            | GB | emergency           | -
            07781 123456         | +447781123456  | GG | international       | -
            0031 20 6747000      | +31206747000   | NL | international       | -
            """)
    void unitedKingdom(String dialled, String e164, String country, String category, String highRiskPrefix) {
        assertClassified(classifier("GB", null).classify(dialled), dialled, e164, country, category, highRiskPrefix);
    }

    @ParameterizedTest(name = "US, outside line 9: {0} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            9 201-555-0123       | +12015550123   | US | national-geographic | -
            9 1 201 555 0123     | +12015550123   | US | national-geographic | -
            201-555-0123         | +12015550123   | US | national-geographic | -
            9 1 800 234 5678     | +18002345678   | US | national-freephone  | -
            9 1 900 234 5678     | +19002345678   | US | national-premium    | -
            9 1 876 555 1234     | +18765551234   | JM | international       | 1876
            9 1 809 555 1234     | +18095551234   | DO | international       | 1809
            +1 416 555 1234      | +14165551234   | CA | international       | -
            9 011 44 20 7946 0000| +442079460000  | GB | international       | -
            9 011 53 7 8333333   | +5378333333    | CU | international       | 53
            911                  | 911            | US | emergency           | -
            9 911                | 911            | US | emergency           | -
            112                  | 112            | US | emergency           | -
            411                  | 411            | US | national-premium    | -
            """)
    void unitedStates(String dialled, String e164, String country, String category, String highRiskPrefix) {
        assertClassified(classifier("US", "9").classify(dialled), dialled, e164, country, category, highRiskPrefix);
    }

    @Test
    void emergencyNumbersOfOtherCountriesAreNotEmergencyAtHome() {
        assertEquals(Category.UNKNOWN, NL.classify("999").category());
        assertEquals(Category.UNKNOWN, NL.classify("110").category());
        assertEquals(Category.EMERGENCY, classifier("AU", null).classify("000").category());
        assertEquals(Category.EMERGENCY, classifier("JP", null).classify("110").category());
        assertEquals(Category.EMERGENCY, classifier("AU", null).classify("112").category());
        assertEquals(Category.EMERGENCY, classifier("JP", null).classify("911").category());
        // dialled with a country code, 112 is not a call to the emergency services
        assertFalse(NL.classify("+31 112").category() == Category.EMERGENCY);
        assertFalse(NL.classify("112 1").category() == Category.EMERGENCY);
    }

    @Test
    void highRiskLongestPrefixWins() {
        NumberClassifier nl = classifier("NL", null, "+37190123");
        Classification exact = nl.classify("00371 90123456");
        assertTrue(exact.highRisk());
        assertEquals(HighRiskList.CONFIGURED_NOTE + " (+37190123)", exact.highRiskNote());
        Classification shorter = nl.classify("00371 90999999");
        assertEquals("Latvia premium rate (90) (+37190)", shorter.highRiskNote());
        assertFalse(nl.classify("00371 67123456").highRisk());
    }

    @Test
    void configuredHighRiskExtendsTheShippedList() {
        assertFalse(NL.classify("0044 20 7946 0000").highRisk());
        assertFalse(NL.classify("088-8982001").highRisk());
        NumberClassifier extended = classifier("NL", null, "+44207946", "3188898");
        Classification london = extended.classify("0044 20 7946 0000");
        assertEquals(Category.INTERNATIONAL, london.category());
        assertTrue(london.highRisk());
        assertEquals(HighRiskList.CONFIGURED_NOTE + " (+44207946)", london.highRiskNote());
        // a national number can be high-risk too; the category stays its own
        Classification national = extended.classify("088-8982001");
        assertEquals(Category.NATIONAL_088, national.category());
        assertTrue(national.highRisk());
        assertTrue(national.isIn(Category.HIGH_RISK));
        assertTrue(national.isIn(Category.NATIONAL_088));
        assertFalse(national.isIn(Category.INTERNATIONAL));
        // the shipped list is still there
        assertTrue(extended.classify("+881631234567").highRisk());
    }

    @Test
    void neverReturnsHighRiskAsCategory() {
        for (String n : List.of("00881631234567", "0053 7 8333333", "+88213123456", "00371 90012345")) {
            Classification c = NL.classify(n);
            assertEquals(Category.INTERNATIONAL, c.category(), n);
            assertTrue(c.highRisk(), n);
        }
    }

    @Test
    void threadSafe() throws Exception {
        List<String> numbers = List.of("0906-334455", "0044 20 7946 0000", "112", "1844", "00881 6 31234567",
                "020-6747000", "abc", "0800-7000");
        List<Classification> expected = numbers.stream().map(NL::classify).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        int k = (i + offset) % numbers.size();
                        if (!expected.get(k).equals(NL.classify(numbers.get(k)))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : futures) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A guard against gross regressions (a regular expression compiled per call, a data file re-read per call),
     * not a benchmark: the budget is 50 µs per number; the bound here is loose for a busy shared machine.
     */
    @Test
    void fastAfterWarmUp() {
        String[] numbers = {"0906-334455", "0044 20 7946 0000", "112", "1844", "00881 6 31234567", "020-6747000",
                "06-12345678", "+1 876 555 1234"};
        for (int i = 0; i < 20_000; i++) {
            NL.classify(numbers[i % numbers.length]);
        }
        int rounds = 10_000;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            NL.classify(numbers[i % numbers.length]);
        }
        double micros = (System.nanoTime() - start) / 1000.0 / rounds;
        assertTrue(micros < 500, () -> "classify took " + micros + " µs per number");
    }

    @Test
    void homeCountry() {
        assertEquals("NL", NL.homeCountry());
        assertEquals("US", classifier("us", null).homeCountry());
    }

    private static void assertClassified(Classification c, String dialled, String e164, String country,
                                         String category, String highRiskPrefix) {
        assertEquals(dialled, c.dialled());
        assertEquals(e164, c.e164(), "e164 of " + dialled);
        assertEquals(country, c.country(), "country of " + dialled);
        assertEquals(Category.fromId(category), c.category(), "category of " + dialled);
        if (highRiskPrefix == null) {
            assertFalse(c.highRisk(), () -> dialled + " should not be high-risk: " + c.highRiskNote());
            assertNull(c.highRiskNote());
        } else {
            assertTrue(c.highRisk(), dialled + " should be high-risk");
            assertTrue(c.highRiskNote().endsWith("(+" + highRiskPrefix + ")"),
                    () -> dialled + ": expected prefix +" + highRiskPrefix + " in " + c.highRiskNote());
        }
    }
}
