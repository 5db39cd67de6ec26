package dev.ota.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The intended layering of repository-ejb, top to bottom (an arrow may only point down):
 * <pre>
 * startup                     first start: bootstraps the repository, creates the first administrator
 * rollouts                    the rollout service: persists rollouts, runs the pure core's decisions, orders via director
 * custody                     online keys of both repositories: list, rotate, revoke (signs through publishing and director)
 * director                    per-device signed orders: reads the fleet and the release catalogue, signs with keys
 * fleet                       devices: enrollment, check-ins, configuration backups, key rotation
 * repository domains          expiry, release, publishing, serving, repository (below); sign through keys
 * keys                        online key custody (the keystore); only repository uses it
 * account                     accounts, roles, tokens
 * audit                       the hash-chained log every domain writes to
 * schedule                    jobs that run on one server at a time, on a schedule kept in the database
 * installation, error, clock  data directory and schema; the failure vocabulary; the injected clock
 * rollout (the package alone) the pure decision core of rollouts: records and functions over java.*, tuf-core's
 *                             JSON and the device protocol only, so any layer may use it and it uses none
 * tuf-core (dev.ota.tuf)      plain TUF library: never uses any of the above
 * </pre>
 * The web modules sit on top and have their own tests (portal-war, device-api-war: services only, no
 * persistence, no keys). Checked against the imports as they were when this test was written: the
 * only arrow that pointed up (installation's first start calling repository and account) moved to
 * {@code startup}.
 * <p>
 * Inside the repository, one domain per package, again top to bottom:
 * <pre>
 * expiry       re-signing before expiry, the expiry watch, the status read (counts listed releases)
 * release      the release catalogue: upload, import, list, remove; publishes on a person's behalf
 * publishing   the one writer of signed metadata: bootstrap, publish, re-sign
 * serving      the stored repository (rows, head, target index, blobs) and what devices fetch
 * repository   what they all share: settings, RepositoryFailure, Shown
 * </pre>
 */
class ServiceLayeringTest {
    /** The repository's domains, each arrow pointing down the table above. */
    static final ArchRule REPOSITORY_DOMAIN_ARROWS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("expiry").definedBy("dev.ota.expiry..")
            .layer("release").definedBy("dev.ota.release..")
            .layer("publishing").definedBy("dev.ota.publishing..")
            .layer("serving").definedBy("dev.ota.serving..")
            .layer("shared").definedBy("dev.ota.repository..")
            .whereLayer("expiry").mayNotBeAccessedByAnyLayer()
            .whereLayer("release").mayOnlyBeAccessedByLayers("expiry")
            .whereLayer("publishing").mayOnlyBeAccessedByLayers("expiry", "release")
            .whereLayer("serving").mayOnlyBeAccessedByLayers("expiry", "release", "publishing")
            .whereLayer("shared").mayOnlyBeAccessedByLayers("expiry", "release", "publishing", "serving");

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        // tuf-core's test-jar (its test helpers) is on this classpath as a jar, which DO_NOT_INCLUDE_TESTS
        // does not recognise as tests.
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.ota");
    }

    @Test
    void domainArrowsPointDownOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("startup").definedBy("dev.ota.startup..")
                .layer("ceremony").definedBy("dev.ota.ceremony..")
                .layer("rollouts").definedBy("dev.ota.rollouts..")
                .layer("custody").definedBy("dev.ota.custody..")
                .layer("director").definedBy("dev.ota.director..")
                .layer("fleet").definedBy("dev.ota.fleet..")
                .layer("repository").definedBy("dev.ota.repository..", "dev.ota.serving..", "dev.ota.publishing..",
                        "dev.ota.release..", "dev.ota.expiry..")
                .layer("keys").definedBy("dev.ota.keys..")
                .layer("account").definedBy("dev.ota.account..")
                .layer("audit").definedBy("dev.ota.audit..")
                .layer("schedule").definedBy("dev.ota.schedule..")
                .layer("installation").definedBy("dev.ota.installation..")
                .layer("error").definedBy("dev.ota.error..")
                .layer("clock").definedBy("dev.ota.clock..")
                .whereLayer("startup").mayNotBeAccessedByAnyLayer()
                .whereLayer("ceremony").mayNotBeAccessedByAnyLayer()
                .whereLayer("rollouts").mayNotBeAccessedByAnyLayer()
                .whereLayer("custody").mayNotBeAccessedByAnyLayer()
                .whereLayer("director").mayOnlyBeAccessedByLayers("startup", "rollouts", "custody")
                .whereLayer("fleet").mayOnlyBeAccessedByLayers("director", "rollouts")
                .whereLayer("repository").mayOnlyBeAccessedByLayers("startup", "director", "custody", "ceremony",
                        "rollouts")
                .whereLayer("keys").mayOnlyBeAccessedByLayers("repository", "director", "custody")
                .whereLayer("account").mayOnlyBeAccessedByLayers("startup", "repository", "fleet", "director", "rollouts",
                        "custody", "ceremony")
                .whereLayer("audit").mayOnlyBeAccessedByLayers("repository", "account", "fleet", "director", "rollouts",
                        "custody", "ceremony")
                .whereLayer("schedule").mayOnlyBeAccessedByLayers("repository", "rollouts", "ceremony")
                .whereLayer("installation").mayOnlyBeAccessedByLayers("startup", "repository", "keys", "account",
                        "schedule", "fleet")
                .whereLayer("error").mayOnlyBeAccessedByLayers("repository", "keys", "account", "audit", "fleet",
                        "director", "rollouts", "custody", "ceremony")
                .whereLayer("clock").mayOnlyBeAccessedByLayers("startup", "repository", "keys", "account", "audit",
                        "schedule", "fleet", "director", "rollouts", "custody", "ceremony")
                .check(classes);
    }

    @Test
    void fleetNeverReachesTheKeystoreOrTheRepositorysInternals() {
        noClasses().that().resideInAPackage("dev.ota.fleet..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ota.keys..", "dev.ota.repository..",
                        "dev.ota.serving..", "dev.ota.publishing..", "dev.ota.release..", "dev.ota.expiry..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.ota.tuf.crypto.SigningKey")
                .because("the fleet verifies what devices sign; it signs nothing")
                .check(classes);
    }

    @Test
    void repositoryDomainArrowsPointDownOnly() {
        REPOSITORY_DOMAIN_ARROWS.check(classes);
    }

    /**
     * The rule above is not vacuous: the module's classes plus two test-only classes that each plant an arrow
     * pointing up (serving using publishing, publishing using the release catalogue) break it, and every
     * violation it reports is one of the planted arrows.
     */
    @Test
    void repositoryDomainRuleReportsAPlantedReversedArrow() {
        JavaClasses planted = new ClassFileImporter()
                .withImportOption(location -> ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
                        && !location.contains("-tests.jar") || isPlanted(location))
                .importPackages("dev.ota");
        assertTrue(planted.contain("dev.ota.serving.plantedarrow.ServingUsesPublishing")
                && planted.contain("dev.ota.publishing.plantedarrow.PublishingUsesReleases"),
                "the planted classes are imported");

        EvaluationResult result = REPOSITORY_DOMAIN_ARROWS.evaluate(planted);

        assertTrue(result.hasViolation(), "a reversed arrow must break the rule");
        List<String> details = result.getFailureReport().getDetails();
        assertFalse(details.isEmpty());
        for (String violation : details) {
            assertTrue(violation.contains("plantedarrow"), "only the planted arrows break it: " + violation);
        }
        assertTrue(details.stream().anyMatch(d -> d.contains("ServingUsesPublishing")), "serving -> publishing: " + details);
        assertTrue(details.stream().anyMatch(d -> d.contains("PublishingUsesReleases")), "publishing -> release: " + details);
    }

    private static boolean isPlanted(Location location) {
        return location.contains("/dev/ota/serving/plantedarrow/")
                || location.contains("/dev/ota/publishing/plantedarrow/");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.ota.(*)..").should().beFreeOfCycles().check(classes);
    }

    /**
     * The rollout rules are pure: no JPA, CDI, EJB, clock or other server package, only java.*, tuf-core's JSON (the
     * definition hash) and the device protocol (the director target's windows and policy). The services that
     * persist and run rollouts belong in a package of their own above them, not in {@code dev.ota.rollout} itself.
     */
    @Test
    void rolloutRulesDependOnJavaTufJsonAndTheProtocolOnly() {
        assertTrue(classes.contain("dev.ota.rollout.RolloutMachine"), "the rollout rules are imported");
        classes().that().resideInAPackage("dev.ota.rollout")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.ota.rollout",
                        "dev.ota.tuf.json", "dev.ota.protocol")
                .because("the rollout decisions are pure functions, tested without a server, a database or a clock")
                .check(classes);
    }

    /** Director.assignForRollout signs without a person's role: the rollout's approval is the authority. */
    @Test
    void onlyTheRolloutServiceOrdersOnARolloutsAuthority() {
        noClasses().that().resideOutsideOfPackages("dev.ota.rollouts..", "dev.ota.director..")
                .should().callMethod(dev.ota.director.Director.class, "assignForRollout", String.class, List.class,
                        String.class, List.class, dev.ota.rollout.InstallRule.class)
                .orShould().callMethod(dev.ota.director.Director.class, "cancelForRollout", String.class,
                        java.util.Map.class)
                .check(classes);
        // Not vacuous: the rollout service does call both (a renamed or re-typed method would match nothing).
        assertTrue(classes.get(dev.ota.director.Director.class).getMethod("assignForRollout", String.class,
                List.class, String.class, List.class, dev.ota.rollout.InstallRule.class)
                .getCallsOfSelf().stream().anyMatch(c -> c.getOriginOwner().getPackageName().equals("dev.ota.rollouts")));
        assertTrue(classes.get(dev.ota.director.Director.class).getMethod("cancelForRollout", String.class,
                java.util.Map.class)
                .getCallsOfSelf().stream().anyMatch(c -> c.getOriginOwner().getPackageName().equals("dev.ota.rollouts")));
    }

    @Test
    void tufCoreNeverUsesServerCode() {
        noClasses().that().resideInAPackage("dev.ota.tuf..")
                .should().dependOnClassesThat(resideInAPackage("dev.ota..").and(not(resideInAPackage("dev.ota.tuf.."))))
                .orShould().dependOnClassesThat().resideInAnyPackage("jakarta..", "javax.ejb..", "javax.persistence..")
                .check(classes);
    }

    @Test
    void onlyKeyCustodyOpensTheKeystore() {
        noClasses().that().resideOutsideOfPackage("dev.ota.keys..")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.security.KeyStore")
                .check(classes);
    }

    @Test
    void servicesKnowNothingOfHttpOrFaces() {
        noClasses().that().resideOutsideOfPackage("dev.ota.tuf..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "jakarta.faces..",
                        "jakarta.servlet..", "dev.ota.portal..", "dev.ota.deviceapi..")
                .check(classes);
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
