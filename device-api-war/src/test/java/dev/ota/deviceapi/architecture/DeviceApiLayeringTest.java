package dev.ota.deviceapi.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.MappedSuperclass;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * device-api-war is an adapter on top of repository-ejb: it serves what the repository services hand
 * it and never reaches persistence, the signing keys, the installation's internals or the portal.
 */
class DeviceApiLayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ota.deviceapi");
    }

    /**
     * Devices are served files and the readiness check reads the expiry watch; nothing here changes the
     * repository: no release catalogue, no publisher, no bootstrap.
     */
    @Test
    void servesAndReportsButNeverPublishes() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.ota.release..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.ota.publishing.RepositoryPublisher")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.ota.publishing.RepositoryBootstrap")
                .check(classes);
    }

    @Test
    void talksToServicesNeverToPersistence() {
        noClasses().should().dependOnClassesThat().resideInAPackage("jakarta.persistence..")
                .orShould().dependOnClassesThat().areAnnotatedWith(Entity.class)
                .orShould().dependOnClassesThat().areAnnotatedWith(Embeddable.class)
                .orShould().dependOnClassesThat().areAnnotatedWith(MappedSuperclass.class)
                .check(classes);
    }

    @Test
    void neverTouchesTheKeystoreOrPrivateKeys() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.ota.keys..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.security.KeyStore")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.security.PrivateKey")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.ota.tuf.crypto.SigningKey")
                .check(classes);
    }

    @Test
    void leavesStartUpAndTheDataDirectoryToTheServices() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.ota.installation..", "dev.ota.startup..")
                .check(classes);
    }

    @Test
    void neverUsesThePortal() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.ota.portal..").check(classes);
    }

    @Test
    void timeComesOnlyFromTheInjectedClock() {
        noClasses().that().resideInAPackage("dev.ota.deviceapi..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .because("the server's time is the injected Clock, so tests can run in virtual time")
                .check(classes);
    }
}
