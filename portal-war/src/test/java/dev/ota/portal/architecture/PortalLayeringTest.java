package dev.ota.portal.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.MappedSuperclass;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * portal-war is an adapter on top of repository-ejb: the views ({@code dev.ota.portal}) and the
 * management API ({@code dev.ota.portal.api}) call services and pass records; they never reach
 * persistence, the signing keys, or the installation's internals. The views and the API are
 * siblings: the API may use the portal's shared authentication, the views never use the API.
 */
class PortalLayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ota.portal");
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

    /** The director's rollout orders carry a rollout's approval, not a person's role: only the rollout service calls them. */
    @Test
    void neverOrdersOnARolloutsAuthority() {
        noClasses().should().callMethod("dev.ota.director.Director", "assignForRollout", "java.lang.String",
                "java.util.List", "java.lang.String", "java.util.List", "dev.ota.rollout.InstallRule")
                .orShould().callMethod("dev.ota.director.Director", "cancelForRollout", "java.lang.String",
                        "java.util.Map").check(classes);
    }

    @Test
    void leavesStartUpAndTheDataDirectoryToTheServices() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.ota.installation..", "dev.ota.startup..")
                .check(classes);
    }

    /**
     * Publishing (which takes no actor) and success records (which take the actor as a parameter) are open
     * to the module's own callers; the WARs reach them only through the role-checked services (releases, accounts), which
     * take the actor from the container. Refused attempts the WARs may record themselves.
     */
    @Test
    void publishesAndRecordsSuccessOnlyThroughRoleCheckedServices() {
        noClasses().should().callMethodWhere(DescribedPredicate.describe(
                "RepositoryPublisher.publish/refreshExpiring or AuditLog.record",
                (JavaMethodCall call) -> call.getTargetOwner().getName().equals("dev.ota.publishing.RepositoryPublisher")
                        && (call.getName().equals("publish") || call.getName().equals("refreshExpiring"))
                        || call.getTargetOwner().getName().equals("dev.ota.audit.AuditLog")
                        && call.getName().equals("record")))
                .check(classes);
    }

    /**
     * The portal changes the repository only through the release catalogue and reads it only through the
     * status read (dev.ota.expiry); what devices are served and how it is signed are not its business.
     */
    @Test
    void reachesTheRepositoryOnlyThroughTheCatalogueAndTheStatusRead() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.ota.serving..", "dev.ota.publishing..")
                .check(classes);
    }

    @Test
    void neverUsesTheDeviceApi() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.ota.deviceapi..").check(classes);
    }

    @Test
    void viewsNeverUseTheRestApi() {
        noClasses().that().resideInAPackage("dev.ota.portal").should().dependOnClassesThat()
                .resideInAPackage("dev.ota.portal.api..").check(classes);
        slices().matching("dev.ota.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void timeComesOnlyFromTheInjectedClock() {
        noClasses().that().resideInAPackage("dev.ota..")
                .and().resideOutsideOfPackages("dev.ota.tuf..", "dev.ota.clock..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .because("windows, backoff, soak and expiry are decided against the injected Clock and tested"
                        + " in virtual time")
                .check(classes);
    }
}
