package org.tollguard.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The "may touch" table of docs/architecture.md, so that the layout cannot drift from it unnoticed. */
class PackageRulesTest {
    private static JavaClasses agent;

    @BeforeAll
    static void load() {
        agent = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.tollguard");
    }

    @Test
    void theDecisionLedgerTouchesNothingButItsValues() {
        classes().that().resideInAPackage("org.tollguard.decision..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.tollguard.decision..", "org.tollguard.net..",
                        "java..", "org.slf4j..")
                .because("enforcers and the journal plug into the ledger, the ledger knows neither (no decision↔store cycle)")
                .check(agent);
    }

    @Test
    void thePbxModelIsNeutral() {
        classes().that().resideInAPackage("org.tollguard.pbx..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.tollguard.pbx..", "org.tollguard.net..",
                        "java..", "org.slf4j..")
                .check(agent);
    }

    @Test
    void theStoreIsReachedOnlyFromWhereTheTableAllows() {
        noClasses().that().resideInAnyPackage("org.tollguard.decision..", "org.tollguard.pbx..",
                        "org.tollguard.firewall..", "org.tollguard.calls..", "org.tollguard.numbers..", "org.tollguard.net..",
                        "org.tollguard.asterisk..", "org.tollguard.freeswitch..", "org.tollguard.alerts..")
                .should().dependOnClassesThat().resideInAPackage("org.tollguard.store..")
                .check(agent);
    }

    @Test
    void enforcersAndEnginesStayInTheirLane() {
        noClasses().that().resideInAPackage("org.tollguard.firewall..")
                .should().dependOnClassesThat().resideInAnyPackage("org.tollguard.ban..", "org.tollguard.calls..",
                        "org.tollguard.spend..", "org.tollguard.blacklist..", "org.tollguard.api..", "org.tollguard.cli..")
                .check(agent);
        noClasses().that().resideInAPackage("org.tollguard.ban..")
                .should().dependOnClassesThat().resideInAnyPackage("org.tollguard.calls..", "org.tollguard.spend..",
                        "org.tollguard.firewall..", "org.tollguard.asterisk..", "org.tollguard.freeswitch..")
                .check(agent);
        noClasses().that().resideInAPackage("org.tollguard.calls..")
                .should().dependOnClassesThat().resideInAnyPackage("org.tollguard.ban..", "org.tollguard.firewall..",
                        "org.tollguard.asterisk..", "org.tollguard.freeswitch..")
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
                .because("data flows one way (docs/architecture.md): a package that another one's values or ports"
                        + " come from does not depend on it back")
                .check(agent);
    }
}
