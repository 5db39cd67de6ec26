package dev.ota.director;

import dev.ota.error.ErrorKind;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether an image may be assigned to a device, decided before anything is signed: the image repository lists
 * it, for the device's hardware id, with a release counter not below the one the device last reported running.
 * The device checks the same again (device-api.md); refusing here keeps the director from signing orders every
 * honest device would refuse.
 */
public final class AssignmentRules {
    private AssignmentRules() {
    }

    /**
     * @param listed           the image repository's listing of {@code targetPath}, empty if it lists none
     * @param hardwareId       the device's hardware id
     * @param installedCounter the release counter the device last reported running, empty if none
     * @return the listed image, accepted
     * @throws DirectorFailure saying which rule refused it
     */
    public static ListedImage accept(String targetPath, Optional<ListedImage> listed, String hardwareId,
                                     OptionalLong installedCounter) {
        ListedImage image = listed.orElseThrow(() -> new DirectorFailure("assignment.target-not-listed",
                ErrorKind.CONFLICT, "the image repository lists no target '" + targetPath + "'; upload the release first"));
        if (!image.hardwareIds().contains(hardwareId)) {
            throw new DirectorFailure("assignment.wrong-hardware", ErrorKind.CONFLICT, "'" + targetPath + "' is released"
                    + " for " + image.hardwareIds() + ", not for the device's hardware '" + hardwareId + "'");
        }
        if (image.releaseCounter().isEmpty()) {
            throw new DirectorFailure("assignment.no-release-counter", ErrorKind.CONFLICT, "'" + targetPath
                    + "' carries no releaseCounter in the image repository; devices refuse an image without one");
        }
        long counter = image.releaseCounter().getAsLong();
        if (installedCounter.isPresent() && counter < installedCounter.getAsLong()) {
            throw new DirectorFailure("assignment.release-counter-lower", ErrorKind.CONFLICT, "'" + targetPath
                    + "' has release counter " + counter + ", below the " + installedCounter.getAsLong()
                    + " the device runs; a rollback is a re-release with a higher counter");
        }
        return image;
    }
}
