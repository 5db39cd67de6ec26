package dev.ota.tuf.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The arrows inside tuf-core point one way: json <- metadata <- crypto <- trust <- client, repository. */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.ota.tuf");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.ota.tuf.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void tufCoreUsesNoJakartaOrServerCode() {
        // tuf-core <- device-protocol <- device-agent, repository-ejb: the protocol builds on tuf-core, never back.
        noClasses().should().dependOnClassesThat().resideInAnyPackage("jakarta..", "javax.ejb..", "dev.ota.repository..",
                        "dev.ota.serving..", "dev.ota.publishing..", "dev.ota.release..", "dev.ota.expiry..",
                        "dev.ota.agent..", "dev.ota.protocol..")
                .check(classes);
    }

    @Test
    void jsonKnowsNothingOfTuf() {
        noClasses().that().resideInAPackage("dev.ota.tuf.json..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.ota.tuf.metadata..", "dev.ota.tuf.crypto..", "dev.ota.tuf.trust..", "dev.ota.tuf.client..", "dev.ota.tuf.repository..")
                .check(classes);
    }

    @Test
    void metadataVerifiesNothing() {
        noClasses().that().resideInAPackage("dev.ota.tuf.metadata..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.ota.tuf.crypto..", "dev.ota.tuf.trust..", "dev.ota.tuf.client..", "dev.ota.tuf.repository..")
                .check(classes);
    }

    @Test
    void trustDoesNoIo() {
        noClasses().that().resideInAPackage("dev.ota.tuf.trust..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.ota.tuf.client..", "java.net..", "java.nio.file..", "java.io..")
                .check(classes);
    }

    @Test
    void trustReadsNoClock() {
        noClasses().that().resideInAPackage("dev.ota.tuf.trust..").should().callMethod(java.time.Instant.class, "now")
                .orShould().dependOnClassesThat().areAssignableTo(java.time.Clock.class)
                .check(classes);
    }
}
