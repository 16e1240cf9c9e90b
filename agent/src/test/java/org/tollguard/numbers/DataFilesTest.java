package org.tollguard.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped data files load, and say what the issue asks of them. */
class DataFilesTest {

    @Test
    void nationalPlanCoversTheDutchPlan() {
        PrefixTable<NationalPlan.Entry> nl = NationalPlan.shipped().of("NL");
        Map<String, Category> expected = Map.ofEntries(
                Map.entry("0906", Category.NATIONAL_AMUSEMENT), Map.entry("0909", Category.NATIONAL_AMUSEMENT),
                Map.entry("0900", Category.NATIONAL_PREMIUM), Map.entry("18", Category.NATIONAL_PREMIUM),
                Map.entry("061", Category.NATIONAL_MOBILE), Map.entry("097", Category.NATIONAL_MOBILE),
                Map.entry("020", Category.NATIONAL_GEOGRAPHIC), Map.entry("010", Category.NATIONAL_GEOGRAPHIC),
                Map.entry("084", Category.PERSONAL_ASSISTANT), Map.entry("087", Category.PERSONAL_ASSISTANT),
                Map.entry("088", Category.NATIONAL_088), Map.entry("0800", Category.NATIONAL_FREEPHONE),
                Map.entry("085", Category.NATIONAL_GEOGRAPHIC), Map.entry("091", Category.NATIONAL_GEOGRAPHIC));
        expected.forEach((prefix, category) -> {
            NationalPlan.Entry entry = nl.longestPrefix(prefix + "1234567", 0);
            assertNotNull(entry, prefix);
            assertEquals(category, entry.category(), prefix);
            assertFalse(entry.note().isBlank(), prefix);
        });
        assertEquals("09008844", nl.longestPrefix("09008844", 0).prefix());
    }

    @Test
    void nationalPlanHasOtherCountries() {
        assertTrue(NationalPlan.shipped().countries().containsAll(Set.of("NL", "BE", "DE", "GB", "US")));
        assertEquals(Category.NATIONAL_PREMIUM, NationalPlan.shipped().of("GB").longestPrefix("118118", 0).category());
        assertNull(NationalPlan.shipped().of("FR").longestPrefix("0899123456", 0));
    }

    @Test
    void highRiskListHasTheUsualSuspects() {
        Map<String, HighRiskList.Range> list = HighRiskList.shipped();
        for (String prefix : List.of("881", "882", "883", "870", "53", "252", "232", "224", "37181", "37190",
                "239", "246", "690", "683", "682", "674", "688", "675", "235", "220", "231", "375", "263", "1876")) {
            assertTrue(list.containsKey(prefix), prefix);
        }
        assertTrue(list.size() > 100, "only " + list.size() + " ranges");
    }

    @Test
    void everyHighRiskPrefixStartsWithARealCountryCode() {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        Set<Integer> codes = util.getSupportedCallingCodes();
        // 871-874, 878, 888 and 991 are retired or reserved codes libphonenumber no longer has
        Set<String> retired = Set.of("871", "872", "873", "874", "878", "888", "991");
        for (HighRiskList.Range range : HighRiskList.shipped().values()) {
            String p = range.prefix();
            boolean assigned = codes.contains(Integer.parseInt(p.substring(0, 1)))
                    || (p.length() >= 2 && codes.contains(Integer.parseInt(p.substring(0, 2))))
                    || (p.length() >= 3 && codes.contains(Integer.parseInt(p.substring(0, 3))));
            assertTrue(assigned || retired.contains(p), p + " does not start with a country calling code");
            assertFalse(range.note().isBlank(), p);
        }
    }

    @Test
    void brokenFilesFailWithFileAndLine() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> NationalPlan.load("/org/tollguard/numbers/broken-plan.csv"));
        assertEquals("broken-plan.csv:3: category emergency cannot come from the national plan", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> HighRiskList.load("/org/tollguard/numbers/broken-high-risk.csv"));
        assertEquals("broken-high-risk.csv:2: '0044' is not an E.164 prefix", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> HighRiskList.load("/org/tollguard/numbers/no-such-file.csv"));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    private static void assertNull(Object o) {
        org.junit.jupiter.api.Assertions.assertNull(o);
    }
}
