package org.tollguard.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.yamlconfig.ConfigException;

class NumbersConfigTest {

    @Test
    void defaults() {
        NumbersConfig config = TollguardConfig.defaults().numbers();
        assertEquals("NL", config.homeCountry());
        assertEquals("", config.outsideLinePrefix());
        assertEquals(List.of(), config.extraHighRisk());
    }

    @Test
    void readsKebabCaseKeys() throws ConfigException {
        TollguardConfig config = ConfigLoader.parse("t.yml", """
                numbers:
                  home-country: be
                  outside-line-prefix: "9"
                  extra-high-risk: ["+88213", "4470", "+88213"]
                """);
        assertEquals(new NumbersConfig("BE", "9", List.of("+88213", "+4470"), null), config.numbers());
    }

    @Test
    void keepsDigitsYamlWouldReadAsNumbers() throws ConfigException {
        TollguardConfig config = ConfigLoader.parse("t.yml", """
                numbers:
                  outside-line-prefix: 0
                  extra-high-risk:
                    - +88213
                    - 37181
                """);
        assertEquals("0", config.numbers().outsideLinePrefix());
        assertEquals(List.of("+88213", "+37181"), config.numbers().extraHighRisk());
        assertEquals("00", ConfigLoader.parse("t.yml", "numbers:\n  outside-line-prefix: 00\n")
                .numbers().outsideLinePrefix());
    }

    @Test
    void emptySectionMeansDefaults() throws ConfigException {
        assertEquals(NumbersConfig.defaults(), ConfigLoader.parse("t.yml", "numbers:\n").numbers());
        assertEquals(NumbersConfig.defaults(), ConfigLoader.parse("t.yml", "numbers: {}\n").numbers());
    }

    @Test
    void rejectsBadValuesWithLineAndKey() {
        assertMessage("numbers:\n  home-country: XX\n", "t.yml:2: numbers.home-country: 'XX' is not a country code");
        assertMessage("numbers:\n  home-country: NLD\n", "home-country: 'NLD' is not a country code");
        assertMessage("numbers:\n  outside-line-prefix: '9#'\n", "outside-line-prefix: '9#' is not a prefix");
        assertMessage("numbers:\n  outside-line-prefix: 12345\n", "outside-line-prefix: '12345' is not a prefix");
        assertMessage("numbers:\n  extra-high-risk: ['+44 70']\n", "extra-high-risk: '+44 70' is not a number prefix");
        assertMessage("numbers:\n  extra-high-risk: ['0044']\n", "extra-high-risk: '0044' is not a number prefix");
        assertMessage("numbers:\n  extra-high-risk: ['+']\n", "extra-high-risk: '+' is not a number prefix");
        assertMessage("numbers:\n  outside-line-prefix: [9]\n", "outside-line-prefix");
        assertMessage("numbers:\n  home-contry: BE\n", "unknown key 'home-contry'");
    }

    @Test
    void rendersAndReadsBack() throws ConfigException {
        TollguardConfig config = org.tollguard.support.Records.with(TollguardConfig.defaults(), "numbers",
                new NumbersConfig("gb", "9", List.of("88213"), null));
        String yaml = ConfigLoader.render(config);
        assertTrue(yaml.contains("home-country: GB"), yaml);
        assertEquals(config, ConfigLoader.parse("rendered", yaml));
    }

    private static void assertMessage(String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("t.yml", yaml));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
