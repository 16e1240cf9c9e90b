package org.tollguard.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The "may touch" table of docs/architecture.md, so that the layout cannot drift from it unnoticed. */
class PackageRulesTest {
    /** Reachable from every package: the strict YAML loader, addresses and networks. */
    private static final String[] EVERYWHERE = {"yamlconfig", "net"};

    /** Each package of the table and the packages of ours it may touch; api/ and cli/ may touch any. */
    private static final Map<String, String[]> MAY_TOUCH = Map.ofEntries(
            Map.entry("pbx", new String[] {}),
            Map.entry("asterisk", new String[] {"pbx", "config", "csv"}),
            Map.entry("freeswitch", new String[] {"pbx", "config"}),
            Map.entry("ban", new String[] {"pbx", "decision", "store", "config", "engine"}),
            Map.entry("numbers", new String[] {}),
            Map.entry("calls", new String[] {"pbx", "decision", "numbers", "spend", "config", "engine"}),
            Map.entry("spend", new String[] {"pbx", "decision", "numbers", "engine", "csv"}),
            Map.entry("decision", new String[] {}),
            Map.entry("firewall", new String[] {"decision", "config"}),
            Map.entry("store", new String[] {"decision", "spend", "numbers"}),
            Map.entry("config", new String[] {"alerts", "numbers", "spend", "protocol"}),
            Map.entry("alerts", new String[] {"decision", "pbx"}),
            Map.entry("metrics", new String[] {"alerts", "decision", "pbx", "config"}),
            Map.entry("blacklist", new String[] {"ban", "decision", "firewall", "store", "config", "protocol"}),
            Map.entry("policy", new String[] {"alerts", "blacklist", "calls", "numbers", "pbx", "spend", "config",
                    "protocol"}));

    private static JavaClasses agent;

    @BeforeAll
    static void load() {
        agent = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.tollguard");
    }

    static Stream<Arguments> table() {
        return MAY_TOUCH.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}/")
    @MethodSource("table")
    void eachPackageTouchesOnlyWhatTheTableAllows(String pkg, String[] mayTouch) {
        String[] allowed = Stream.of(Stream.of(pkg), Arrays.stream(mayTouch), Arrays.stream(EVERYWHERE))
                .flatMap(s -> s).map(p -> "org.tollguard." + p + "..").toArray(String[]::new);
        noClasses().that().resideInAPackage("org.tollguard." + pkg + "..")
                .should().dependOnClassesThat(resideInAPackage("org.tollguard.*..")
                        .and(resideOutsideOfPackages(allowed)))
                .because("docs/architecture.md: " + pkg + "/ may touch " + String.join(", ", mayTouch))
                .check(agent);
    }

    @Test
    void theLedgerAndThePbxModelUseNoLibrary() {
        classes().that().resideInAnyPackage("org.tollguard.decision..", "org.tollguard.pbx..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.tollguard.decision..", "org.tollguard.pbx..",
                        "org.tollguard.net..", "java..", "org.slf4j..")
                .because("enforcers and the journal plug into the ledger through its interfaces; the PBX model is"
                        + " plain records")
                .check(agent);
    }

    @Test
    void onlyTheAdaptersKnowWhichPbxIsThere() {
        noClasses().that().resideOutsideOfPackages("org.tollguard.asterisk..", "org.tollguard.freeswitch..",
                        "org.tollguard.cli..")
                .and().doNotHaveFullyQualifiedName("org.tollguard.Agent")
                .should().dependOnClassesThat().resideInAnyPackage("org.tollguard.asterisk..", "org.tollguard.freeswitch..")
                .because("the adapters turn what their PBX writes into pbx/ records (Master.csv included)")
                .check(agent);
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching("org.tollguard.(*)..").should().beFreeOfCycles()
                .because("data flows one way (docs/architecture.md): a package whose values or ports another one"
                        + " uses does not depend on it back")
                .check(agent);
    }
}
