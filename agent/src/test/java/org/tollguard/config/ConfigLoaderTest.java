package org.tollguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.net.Cidr;
import org.tollguard.yamlconfig.ConfigException;
import org.tollguard.yamlconfig.Secret;

class ConfigLoaderTest {

    private static TollguardConfig withAsterisk(TollguardConfig c, AsteriskConfig asterisk) {
        return org.tollguard.support.Records.with(c, "asterisk", asterisk);
    }

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse("t.yml", yaml)).getMessage();
    }

    // ---- unknown keys

    @Test
    void unknownTopLevelKey() {
        String message = error("log:\n  level: info\nbogus: 1\n");
        assertTrue(message.startsWith("t.yml:3: bogus: unknown key 'bogus' (known keys: "), message);
        assertTrue(message.contains(" api, asterisk, ban, "), message);
        assertTrue(message.contains(", log, ") && message.endsWith(", store)"), message);
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

    @Test
    void misspeltKeyInsideANamedEntryIsReportedEvenWhenAValueCheckFailsFirst() {
        String yaml = """
                calls:
                  accounts:
                    "1001":
                      max-durtion: 2h
                      max-concurrent: -1
                  groups:
                    acme:
                      accounts: ["1002"]
                      limits:
                        max-concurent: 4
                        max-calls-per-minute: -1
                """;
        String message = error(yaml);
        assertTrue(message.startsWith("t.yml:4: calls.accounts.1001.max-durtion: unknown key 'max-durtion' (known keys: "),
                message);
        message = error(yaml.replace("max-durtion", "max-duration"));
        assertTrue(message.startsWith("t.yml:10: calls.groups.acme.limits.max-concurent: unknown key 'max-concurent'"),
                message);
    }

    // ---- impossible values: reported at the offending key's own line

    @Test
    void portOutOfRange() {
        assertEquals("t.yml:3: api.port: must be a port between 1 and 65535, not 70000",
                error("api:\n  listen: 127.0.0.1\n  port: 70000\n"));
        assertEquals("t.yml:2: asterisk.port: must be a port between 1 and 65535, not 0",
                error("asterisk:\n  port: 0\n"));
        assertEquals("t.yml:3: firewall.ports: 70000 is outside 1..65535",
                error("firewall:\n  backend: log\n  ports: [5060, 70000]\n"));
    }

    @Test
    void zeroWherePositiveIsNeeded() {
        assertEquals("t.yml:3: ban.challenge-grace: must be longer than 0s",
                error("ban:\n  bantime: 1h\n  challenge-grace: 0s\n"));
        assertEquals("t.yml:3: asterisk.connect-timeout: must be longer than 0s",
                error("asterisk:\n  host: 127.0.0.1\n  connect-timeout: 0s\n"));
        assertEquals("t.yml:5: ban.windows[0].window: must be longer than 0s",
                error("ban:\n  windows:\n    - name: fast\n      failures: 5\n      window: 0ms\n"));
        assertEquals("t.yml:4: ban.enumeration.window: must be longer than 0s",
                error("ban:\n  enumeration:\n    accounts: 3\n    window: 0s\n"));
    }

    @Test
    void numbersBelowTheirMinimum() {
        assertEquals("t.yml:3: ban.windows[0].failures: must be at least 1, not 0",
                error("ban:\n  windows:\n    - failures: 0\n      window: 1m\n"));
        assertEquals("t.yml:3: ban.enumeration.accounts: must be at least 0, not -1",
                error("ban:\n  enumeration:\n    accounts: -1\n"));
        assertEquals("t.yml:2: ban.bantime-factor: must be at least 1, not 0", error("ban:\n  bantime-factor: 0\n"));
        assertEquals("t.yml:2: ban.max-tracked-addresses: must be at least 1000, not 999",
                error("ban:\n  max-tracked-addresses: 999\n"));
        assertEquals("t.yml:3: firewall.max-entries: 10 is below the minimum 1024",
                error("firewall:\n  backend: log\n  max-entries: 10\n"));
    }

    @Test
    void bantimeMaxShorterThanBantime() {
        assertEquals("t.yml:3: ban.bantime-max: 1h is shorter than bantime (2h)",
                error("ban:\n  bantime: 2h\n  bantime-max: 1h\n"));
        // bantime-max left at its default: the key the operator did write is the one to blame
        assertEquals("t.yml:2: ban.bantime: 60d is longer than bantime-max (30d, the default)",
                error("ban:\n  bantime: 60d\n"));
    }

    @Test
    void emptyWindowListAndIncompleteWindow() {
        assertEquals("t.yml:2: ban.windows: needs at least one window", error("ban:\n  windows: []\n"));
        assertEquals("t.yml:4: ban.windows[1]: a window needs both failures and window",
                error("ban:\n  windows:\n    - {failures: 5, window: 1m}\n    - name: slow\n      failures: 5\n"));
    }

    @Test
    void apiMustListenOnLoopback() {
        assertEquals("t.yml:2: api.listen: must be a loopback address (127.0.0.1 or ::1), not 0.0.0.0",
                error("api:\n  listen: 0.0.0.0\n"));
    }

    @Test
    void badNetnsName() {
        assertEquals("t.yml:2: firewall.netns: 'a b' is not a network namespace name"
                        + " (letters, digits, '_', '.', '-'; as listed by 'ip netns list')",
                error("firewall:\n  netns: a b\n"));
    }

    @Test
    void emptyListEntries() {
        assertEquals("t.yml:4: ban.allowlist[1]: is empty", error("ban:\n  allowlist:\n    - 10.0.0.0/8\n    -\n"));
        assertEquals("t.yml:2: ban.allowlist[0]: is empty", error("ban:\n  allowlist: [~]\n"));
        assertEquals("t.yml:3: ban.windows[0]: is empty", error("ban:\n  windows:\n    -\n"));
    }

    // ---- wrong types

    @Test
    void fractionIsNotSilentlyTruncatedToAWholeNumber() {
        assertEquals("t.yml:2: ban.bantime-factor: '1.5' is not a whole number", error("ban:\n  bantime-factor: 1.5\n"));
        assertEquals("t.yml:2: api.port: '8461.9' is not a whole number", error("api:\n  port: 8461.9\n"));
    }

    @Test
    void textWhereANumberIsNeeded() {
        assertEquals("t.yml:2: api.port: expected a whole number here", error("api:\n  port: abc\n"));
        assertEquals("t.yml:2: api.port: expected a whole number here", error("api:\n  port: \"8461\"\n"));
        assertEquals("t.yml:3: ban.windows[0].failures: expected a whole number here",
                error("ban:\n  windows:\n    - failures: many\n      window: 1m\n"));
    }

    @Test
    void listWhereASectionIsNeeded() {
        assertEquals("t.yml:3: ban: expected a section here (key: value lines)", error("log:\n  level: info\nban: [1, 2]\n"));
        assertEquals("t.yml:3: ban.windows[0]: expected a section here (key: value lines)",
                error("ban:\n  windows:\n    - 5\n"));
    }

    @Test
    void sectionOrListWhereASingleValueIsNeeded() {
        assertEquals("t.yml:2: ban.bantime: expected a duration here (e.g. 90s, 10m, 6h, 7d)",
                error("ban:\n  bantime:\n    hours: 1\n"));
        assertEquals("t.yml:2: api.port: expected a whole number here", error("api:\n  port: [1]\n"));
        assertEquals("t.yml:2: asterisk.enabled: expected true or false here", error("asterisk:\n  enabled: {a: 1}\n"));
        assertEquals("t.yml:2: firewall.backend: expected one of: ipset, nftables, log",
                error("firewall:\n  backend: [ipset]\n"));
        assertEquals("t.yml:2: asterisk.host: expected text here (in quotes if it looks like a number or true/false)",
                error("asterisk:\n  host: [a, b]\n"));
    }

    @Test
    void scalarWhereAListIsNeeded() {
        assertEquals("t.yml:2: ban.allowlist: expected a list here", error("ban:\n  allowlist: 10.0.0.0/8\n"));
        assertEquals("t.yml:2: ban.windows: expected a list here", error("ban:\n  windows: {a: 1}\n"));
    }

    @Test
    void numberWhereTextIsNeededAsksForQuotes() {
        // an unquoted numeric secret is a YAML number: 0123 would not stay 0123; ask for quotes, never "a section"
        assertEquals("t.yml:2: asterisk.secret: expected text here (in quotes if it looks like a number or true/false)",
                error("asterisk:\n  secret: 123456\n"));
        assertEquals("t.yml:2: store.path: expected text here (in quotes if it looks like a number or true/false)",
                error("store:\n  path: 5\n"));
        assertEquals("t.yml:2: ban.allowlist[0]: expected an IP address or network here", error("ban:\n  allowlist: [10]\n"));
    }

    @Test
    void notASectionAtTheTopLevel() {
        assertEquals("t.yml:1: (top level): expected a section here (key: value lines)", error("hello\n"));
        assertEquals("t.yml:1: (top level): expected a section here (key: value lines)", error("- a\n- b\n"));
    }

    @Test
    void badValues() {
        assertEquals("t.yml:2: firewall.backend: 'iptables' is not one of: ipset, nftables, log",
                error("firewall:\n  backend: iptables\n"));
        assertEquals("t.yml:2: log.level: 'verbose' is not one of: error, warn, info, debug, trace",
                error("log:\n  level: verbose\n"));
        assertEquals("t.yml:2: asterisk.enabled: '1' is not a valid boolean", error("asterisk:\n  enabled: 1\n"));
        assertEquals("t.yml:2: ban.bantime: '-5s' is not a duration (write e.g. 90s, 10m, 6h, 7d)",
                error("ban:\n  bantime: -5s\n"));
        assertEquals("t.yml:2: ban.bantime: '5 minutes' is not a duration (write e.g. 90s, 10m, 6h, 7d)",
                error("ban:\n  bantime: 5 minutes\n"));
        assertEquals("t.yml:2: ban.bantime: '5' is not a duration (write e.g. 90s, 10m, 6h, 7d)",
                error("ban:\n  bantime: 5\n"));
        assertEquals("t.yml:4: ban.allowlist[1]: '10.0.0.0/33': prefix length 33 is larger than 32",
                error("ban:\n  allowlist:\n    - 10.0.0.0/8\n    - 10.0.0.0/33\n"));
        assertEquals("t.yml:2: ban.allowlist[0]: 'pbx.example.com' is not an IP address",
                error("ban:\n  allowlist: [pbx.example.com]\n"));
    }

    // ---- syntax, empty and missing files

    @Test
    void yamlSyntaxErrorIsOneLineAtTheRightLine() {
        assertEquals("t.yml:3: not valid YAML: expected <block end>, but found '<block mapping start>'"
                        + " (while parsing a block mapping that starts at line 1)",
                error("ban:\n  bantime: 1h\n bad: x\n"));
        assertEquals("t.yml:3: not valid YAML: found unexpected end of stream"
                        + " (while scanning a quoted scalar that starts at line 2)",
                error("ban:\n  bantime: \"1h\n"));
        assertEquals("t.yml:3: not valid YAML: expected ',' or ']', but got <stream end>"
                        + " (while parsing a flow sequence that starts at line 2)",
                error("ban:\n  allowlist: [1.2.3.4\n"));
        assertEquals("t.yml:1: not valid YAML: mapping values are not allowed here", error("a: b: c\n"));
    }

    @Test
    void tabIndentationIsASyntaxError() {
        String message = error("ban:\n  bantime: 1h\n\tbantime-max: 2h\n");
        assertTrue(message.startsWith("t.yml:3: not valid YAML: found character '\\t(TAB)' that cannot start any token."),
                message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void onlyOneDocument() {
        assertEquals("t.yml:4: not valid YAML: a second document ('---') is not allowed; the config is one document",
                error("log:\n  level: info\n---\nlog:\n  level: debug\n"));
    }

    @Test
    void emptyOrCommentOnlyFileGivesTheDefaults() throws ConfigException {
        assertEquals(TollguardConfig.defaults(), ConfigLoader.parse("t.yml", ""));
        assertEquals(TollguardConfig.defaults(), ConfigLoader.parse("t.yml", "  \n\n"));
        assertEquals(TollguardConfig.defaults(), ConfigLoader.parse("t.yml", "# everything commented out\n# log:\n#   level: debug\n"));
        assertEquals(TollguardConfig.defaults(), ConfigLoader.parse("t.yml", "---\n"));
        assertEquals(TollguardConfig.defaults(), ConfigLoader.parse("t.yml", "---\n# nothing\n...\n"));
    }

    @Test
    void emptySectionsGiveTheirDefaults() throws ConfigException {
        assertEquals(TollguardConfig.defaults(), ConfigLoader.parse("t.yml", "log:\nban:\n  # bantime: 2h\nfirewall: {}\n"));
    }

    @Test
    void duplicateKeyIsAnErrorNotSilentlyTheLastOne() {
        assertEquals("t.yml:3: ban.bantime: duplicate key (each key may appear only once in a section)",
                error("ban:\n  bantime: 1h\n  bantime: 2h\n"));
        assertEquals("t.yml:5: ban: duplicate key (each key may appear only once in a section)",
                error("ban:\n  bantime: 1h\nlog:\n  level: info\nban:\n  bantime-max: 2h\n"));
        assertEquals("t.yml:4: ban.windows[0].failures: duplicate key (each key may appear only once in a section)",
                error("ban:\n  windows:\n    - failures: 1\n      failures: 2\n      window: 1m\n"));
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.yml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ": no such file", e.getMessage());
    }

    @Test
    void unreadableFile(@TempDir Path dir) {
        // a directory where the file should be: unreadable whatever the user (root ignores file modes)
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
        assertTrue(e.getMessage().startsWith(dir + ": cannot read: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n\tat "), e.getMessage());
    }

    @Test
    void loadNamesTheFileInErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tollguard.yml");
        Files.writeString(file, "api:\n  port: 70000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ":2: api.port: must be a port between 1 and 65535, not 70000", e.getMessage());
    }

    // ---- a full config, render, the shipped config

    private static final String FULL = """
            log:
              level: debug
            store:
              path: /srv/tg/tollguard.db
            api:
              listen: ::1
              port: 9000
              token-file: /srv/tg/api.token
            asterisk:
              enabled: false
              host: 10.0.0.1
              port: 5039
              username: "0123"
              secret: "s3cret: #not a comment"
              connect-timeout: 250ms
              reconnect-max: 1h30m
            ban:
              windows:
                - name: burst
                  failures: 3
                  window: 90s
              enumeration:
                accounts: 0
                window: 1m
              challenge-grace: 2s
              bantime: 2h
              bantime-factor: 2
              bantime-max: 7d
              permanent-after: 3
              allowlist: [203.0.113.10, 198.51.100.7/24, "2001:db8:1::/48", "::ffff:198.51.100.200"]
              trust-after-success: 0s
              max-tracked-addresses: 5000
            firewall:
              backend: nftables
              netns: pbx
              ports: [5061, 5060, 5060]
              max-entries: 4096
            """;

    @Test
    void readsEveryKey() throws ConfigException {
        TollguardConfig c = ConfigLoader.parse("t.yml", FULL);
        assertEquals(LogConfig.Level.DEBUG, c.log().level());
        assertEquals(Path.of("/srv/tg/tollguard.db"), c.store().path());
        assertEquals(new ApiConfig("::1", 9000, Path.of("/srv/tg/api.token")), c.api());
        assertEquals(new AsteriskConfig(false, "10.0.0.1", 5039, "0123", new Secret("s3cret: #not a comment"),
                Duration.ofMillis(250), Duration.ofMinutes(90)), c.asterisk());
        BanConfig ban = c.ban();
        assertEquals(List.of(new BanConfig.Window("burst", 3, Duration.ofSeconds(90))), ban.windows());
        assertEquals(new BanConfig.Enumeration(0, Duration.ofMinutes(1)), ban.enumeration());
        assertEquals(Duration.ofSeconds(2), ban.challengeGrace());
        assertEquals(Duration.ofHours(2), ban.bantime());
        assertEquals(2, ban.bantimeFactor());
        assertEquals(Duration.ofDays(7), ban.bantimeMax());
        assertEquals(3, ban.permanentAfter());
        // host bits masked, IPv4-mapped read as IPv4
        assertEquals(List.of("203.0.113.10", "198.51.100.0/24", "2001:db8:1::/48", "198.51.100.200"),
                ban.allowlist().stream().map(Cidr::toString).toList());
        assertEquals(Duration.ZERO, ban.trustAfterSuccess());
        assertEquals(5000, ban.maxTrackedAddresses());
        assertEquals(new FirewallConfig(FirewallConfig.Backend.NFTABLES, "pbx", List.of(5060, 5061), 4096), c.firewall());
    }

    @Test
    void renderMasksTheSecret() throws ConfigException {
        String rendered = ConfigLoader.render(ConfigLoader.parse("t.yml", FULL));
        assertTrue(rendered.contains("  secret: '********'\n"), rendered);
        assertFalse(rendered.contains("s3cret"), rendered);
    }

    @Test
    void renderReadsBackToAnEqualConfig() throws ConfigException {
        TollguardConfig c = ConfigLoader.parse("t.yml", FULL);
        TollguardConfig back = ConfigLoader.parse("rendered", ConfigLoader.render(c));
        // everything but the secret, which render masks on purpose
        TollguardConfig expected = withAsterisk(c, new AsteriskConfig(c.asterisk().enabled(), c.asterisk().host(),
                c.asterisk().port(), c.asterisk().username(), new Secret("********"), c.asterisk().connectTimeout(),
                c.asterisk().reconnectMax()));
        assertEquals(expected, back);
        // and a render of what was read back is the same text
        assertEquals(ConfigLoader.render(c), ConfigLoader.render(back));
    }

    @Test
    void renderOfTheDefaultsReadsBackToTheDefaults() throws ConfigException {
        String rendered = ConfigLoader.render(TollguardConfig.defaults());
        assertTrue(rendered.contains("  secret: \"\"\n"), rendered);
        assertTrue(rendered.contains("  bantime-max: 30d\n"), rendered);
        assertFalse(rendered.contains("netns"), rendered);
        assertEquals(TollguardConfig.defaults(), ConfigLoader.parse("rendered", rendered));
    }

    @Test
    void renderQuotesTextThatYamlWouldReadAsSomethingElse() throws ConfigException {
        for (String name : List.of("yes", "true", "null", "~", "0123", "123", "a: b", "#x", "- x", " lead", "")) {
            TollguardConfig c = withAsterisk(TollguardConfig.defaults(),
                    new AsteriskConfig(null, null, null, name, null, null, null));
            assertEquals(c, ConfigLoader.parse("rendered", ConfigLoader.render(c)), "username '" + name + "'");
        }
    }

    @Test
    void shippedConfigLoadsAndIsTheDefaults() throws ConfigException {
        // installer/tollguard.yml says: "what is shown here is the default unless marked 'example'"
        Path shipped = Path.of("..", "installer", "tollguard.yml");
        assumeTrue(Files.isRegularFile(shipped), "installer/tollguard.yml not in this checkout");
        assertEquals(TollguardConfig.defaults(), ConfigLoader.load(shipped));
    }
}
