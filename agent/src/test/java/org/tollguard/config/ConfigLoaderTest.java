package org.tollguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse("t.yml", yaml)).getMessage();
    }

    // ---- unknown keys

    @Test
    void unknownTopLevelKey() {
        assertEquals("t.yml:3: bogus: unknown key 'bogus' (known keys: api, asterisk, ban, firewall, log, store)",
                error("log:\n  level: info\nbogus: 1\n"));
    }

    @Test
    void unknownNestedKey() {
        assertEquals("t.yml:5: ban.bantim: unknown key 'bantim' (known keys: allowlist, bantime, bantime-factor,"
                        + " bantime-max, challenge-grace, enumeration, max-tracked-addresses, permanent-after,"
                        + " trust-after-success, windows)",
                error("log:\n  level: info\nban:\n  bantime: 1h\n  bantim: 2h\n"));
        assertEquals("t.yml:4: ban.enumeration.acounts: unknown key 'acounts' (known keys: accounts, window)",
                error("ban:\n  bantime: 1h\n  enumeration:\n    acounts: 3\n"));
    }

    @Test
    void unknownKeyInsideAListElement() {
        String yaml = """
                ban:
                  windows:
                    - name: fast
                      failures: 3
                      window: 1m
                    - name: slow
                      failures: 30
                      windw: 6h
                """;
        assertEquals("t.yml:8: ban.windows[1].windw: unknown key 'windw' (known keys: failures, name, window)",
                error(yaml));
    }

    @Test
    void misspeltKeyIsReportedEvenWhenAValueCheckFailsFirst() {
        // Jackson builds a record before it reports unknown keys; a bad value elsewhere must not hide the typo
        assertEquals("t.yml:5: firewall.bogus: unknown key 'bogus' (known keys: backend, max-entries, netns, ports)",
                error("ban:\n  bantime: 0s\nfirewall:\n  backend: log\n  bogus: 1\n"));
        assertEquals("t.yml:4: ban.windows[0].windw: unknown key 'windw' (known keys: failures, name, window)",
                error("ban:\n  windows:\n    - failures: 3\n      windw: 6h\n"));
    }
}
