package org.tollguard.yamlconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class YamlLocatorTest {
    private static final String YAML = """
            log:
              level: info
            ban:
              windows:
                - name: fast
                  failures: 5
                  window: 60s
                - name: slow
                  failures: 30
                  window: 6h
              allowlist:
                - 10.0.0.0/8
                - 192.168.0.0/16
              bantime: 1h
            firewall:
              ports: [5060, 5061]
              nested: [[1, 2], {a: 1}]
            """;

    @Test
    void findsKeysAtEveryDepth() {
        assertEquals(1, YamlLocator.lineOf(YAML, List.of("log")));
        assertEquals(2, YamlLocator.lineOf(YAML, List.of("log", "level")));
        assertEquals(4, YamlLocator.lineOf(YAML, List.of("ban", "windows")));
        assertEquals(14, YamlLocator.lineOf(YAML, List.of("ban", "bantime")));
        assertEquals(16, YamlLocator.lineOf(YAML, List.of("firewall", "ports")));
    }

    @Test
    void findsKeysInsideListElements() {
        assertEquals(6, YamlLocator.lineOf(YAML, List.of("ban", "windows", 0, "failures")));
        assertEquals(10, YamlLocator.lineOf(YAML, List.of("ban", "windows", 1, "window")));
    }

    @Test
    void findsScalarListElements() {
        assertEquals(12, YamlLocator.lineOf(YAML, List.of("ban", "allowlist", 0)));
        assertEquals(13, YamlLocator.lineOf(YAML, List.of("ban", "allowlist", 1)));
        assertEquals(16, YamlLocator.lineOf(YAML, List.of("firewall", "ports", 1)));
    }

    @Test
    void findsListElementsThatAreSectionsOrLists() {
        assertEquals(5, YamlLocator.lineOf(YAML, List.of("ban", "windows", 0)));
        assertEquals(8, YamlLocator.lineOf(YAML, List.of("ban", "windows", 1)));
        assertEquals(17, YamlLocator.lineOf(YAML, List.of("firewall", "nested", 0)));
        assertEquals(17, YamlLocator.lineOf(YAML, List.of("firewall", "nested", 1, "a")));
    }

    @Test
    void countsElementsOfNestedListsSeparately() {
        String yaml = "a:\n  - [x, y]\n  - [z]\n  - w\n";
        assertEquals(3, YamlLocator.lineOf(yaml, List.of("a", 1)));
        assertEquals(3, YamlLocator.lineOf(yaml, List.of("a", 1, 0)));
        assertEquals(4, YamlLocator.lineOf(yaml, List.of("a", 2)));
    }

    @Test
    void answersMinusOneForWhatIsNotThere() {
        assertEquals(-1, YamlLocator.lineOf(YAML, List.of()));
        assertEquals(-1, YamlLocator.lineOf(YAML, List.of("nope")));
        assertEquals(-1, YamlLocator.lineOf(YAML, List.of("ban", "windows", 2)));
        assertEquals(-1, YamlLocator.lineOf(YAML, List.of("log", "level", "deeper")));
        assertEquals(-1, YamlLocator.lineOf("a: [1, 2\n", List.of("b")));
    }
}
