package dev.ota.fleet;

import java.util.List;

/**
 * What an administrator asks for (device-api.md, management calls): allowed hardware ids (empty: any), a use
 * limit, a validity in hours and whether devices enrolled with it are accepted at once. Null fields take the
 * defaults of {@link Enrollments#createToken}.
 */
public record NewEnrollmentToken(String label, List<String> hardwareIds, Integer maxUses, Integer validityHours,
                                 Boolean autoAccept) {
}
