package dev.ota.tuf.repository;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The repository helpers are pure: the server does the storing and owns the clock. */
class RepositoryPurityTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.ota.tuf.repository");

    @Test
    void repositoryHelpersDoNoFileOrNetworkIo() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.file..")
                .orShould().dependOnClassesThat().haveSimpleNameStartingWith("File")
                .check(classes);
    }

    @Test
    void repositoryHelpersReadNoClock() {
        noClasses().should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().dependOnClassesThat().areAssignableTo(java.time.Clock.class)
                .check(classes);
    }
}
