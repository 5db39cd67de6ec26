package dev.ota.protocol.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * tuf-core <- device-protocol <- device-agent (and repository-ejb): the protocol depends on tuf-core and the JDK
 * only, so the server and every agent can use it without pulling in the other's code.
 */
class LayeringTest {
    private static JavaClasses protocol;

    @BeforeAll
    static void load() {
        protocol = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.ota.protocol");
    }

    @Test
    void dependsOnlyOnTufCoreAndTheJdk() {
        classes().that().resideInAPackage("dev.ota.protocol..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.ota.protocol..", "dev.ota.tuf..", "java..")
                .check(protocol);
    }

    @Test
    void doesNoIo() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses().that().resideInAPackage("dev.ota.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.file..", "java.io..", "dev.ota.tuf.client..")
                .check(protocol);
    }
}
