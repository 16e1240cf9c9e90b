package org.tollguard.spend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.numbers.Category;
import org.tollguard.yamlconfig.ConfigException;

class IdsConfigTest {

    @Test
    void defaults() {
        IdsConfig ids = TollguardConfig.defaults().ids();
        assertTrue(ids.enabled());
        assertEquals("EUR", ids.currency());
        assertEquals(ZoneId.systemDefault(), ids.zone());
        assertEquals(Duration.ofDays(60), ids.window());
        assertEquals(Duration.ofDays(7), ids.minHistory());
        assertEquals(0, ids.floor().signum());
        assertEquals(new BigDecimal("50"), ids.delta());
        assertEquals(List.of(Category.INTERNATIONAL, Category.NATIONAL_PREMIUM, Category.NATIONAL_AMUSEMENT,
                Category.HIGH_RISK), ids.monitoredCategories());
        assertEquals(null, ids.rateDeck());
        assertEquals(new Increments(60, 60), ids.defaultIncrements());
        assertEquals(new BigDecimal("0.50"), ids.defaultPrices().get(Category.INTERNATIONAL));
        assertEquals(Duration.ofSeconds(1), ids.tick());
    }

    @Test
    void readsTheSection() throws ConfigException {
        TollguardConfig config = ConfigLoader.parse("t.yml", """
                calls:
                  groups:
                    acme:
                      accounts: ["1001", "1002"]
                ids:
                  currency: usd
                  time-zone: Europe/Amsterdam
                  window: 30d
                  min-history: 3d
                  floor: 5
                  delta: 30.50
                  group-deltas:
                    acme: 200
                  account-deltas:
                    "1002": 0.8333
                  monitored-categories: [international, high-risk]
                  rate-deck: /etc/tollguard/rates.csv
                  default-prices:
                    international: 0.10
                    national-premium: "1.25"
                  default-increments: 30/6
                  tick: 250ms
                """);
        IdsConfig ids = config.ids();
        assertEquals("USD", ids.currency());
        assertEquals(ZoneId.of("Europe/Amsterdam"), ids.zone());
        assertEquals(Duration.ofDays(30), ids.window());
        assertEquals(new BigDecimal("5"), ids.floor());
        assertEquals(new BigDecimal("30.50"), ids.deltaFor("1003", null));
        assertEquals(new BigDecimal("200"), ids.deltaFor("1001", "acme"));
        assertEquals(new BigDecimal("0.8333"), ids.deltaFor("1002", "acme"), "account over group");
        assertEquals(List.of(Category.INTERNATIONAL, Category.HIGH_RISK), ids.monitoredCategories());
        assertEquals(Path.of("/etc/tollguard/rates.csv"), ids.rateDeck());
        assertEquals(new BigDecimal("0.10"), ids.defaultPrices().get(Category.INTERNATIONAL));
        assertEquals(new BigDecimal("1.25"), ids.defaultPrices().get(Category.NATIONAL_PREMIUM));
        assertFalse(ids.defaultPrices().containsKey(Category.NATIONAL_AMUSEMENT), "a price list replaces the defaults");
        assertEquals(new Increments(30, 6), ids.defaultIncrements());
        assertEquals(Duration.ofMillis(250), ids.tick());
    }

    @Test
    void rendersAndReadsBack() throws ConfigException {
        TollguardConfig config = ConfigLoader.parse("t.yml", """
                ids:
                  time-zone: Europe/Amsterdam
                  delta: 30
                  account-deltas: {"1001": 12.5}
                  rate-deck: /tmp/rates.csv
                """);
        String yaml = ConfigLoader.render(config);
        assertTrue(yaml.contains("default-increments: 60/60"), yaml);
        assertTrue(yaml.contains("national-premium: 1.00"), yaml);
        assertEquals(config, ConfigLoader.parse("rendered", yaml));
    }

    @Test
    void rejectsBadValuesWithLineAndKey() {
        assertMessage("ids:\n  currency: EURO\n", "t.yml:2: ids.currency: 'EURO' is not an ISO 4217 currency code");
        assertMessage("ids:\n  time-zone: Mars/Olympus\n", "time-zone: 'Mars/Olympus' is not a time zone");
        assertMessage("ids:\n  window: 36h\n", "t.yml:2: ids.window: must be whole days (e.g. 60d), not 1d12h");
        assertMessage("ids:\n  window: 0d\n", "ids.window: must be between 1d and 366d");
        assertMessage("ids:\n  min-history: 90d\n", "t.yml:2: ids.min-history: must be between 0d and 60d");
        assertMessage("ids:\n  delta: -5\n", "t.yml:2: ids.delta: '-5' is not an amount");
        assertMessage("ids:\n  delta: 1e3\n", "'1e3' is not an amount");
        assertMessage("ids:\n  floor: ten\n", "t.yml:2: ids.floor: 'ten' is not an amount");
        assertMessage("ids:\n  account-deltas:\n    \"1001\": 1,5\n", "ids.account-deltas.1001: '1,5' is not an amount");
        assertMessage("ids:\n  monitored-categories: [premium]\n", "'premium' is not a number category");
        assertMessage("ids:\n  monitored-categories: [emergency]\n", "t.yml:2: ids.monitored-categories: emergency calls are never charged");
        assertMessage("ids:\n  default-prices:\n    premium: 1\n", "ids.default-prices: 'premium' is not one of: national-amusement");
        assertMessage("ids:\n  default-increments: 60\n", "increments '60' are not FIRST/NEXT seconds");
        assertMessage("ids:\n  default-increments: 0/60\n", "both must be between 1 and 3600 seconds");
        assertMessage("ids:\n  tick: 5s\n", "t.yml:2: ids.tick: must be at most 1s");
        assertMessage("ids:\n  group-deltas:\n    acme: 10\n", "t.yml:1: ids: group-deltas: no group 'acme' in calls.groups (none defined)");
        assertMessage("ids:\n  detla: 10\n", "unknown key 'detla'");
    }

    private static void assertMessage(String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("t.yml", yaml));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
