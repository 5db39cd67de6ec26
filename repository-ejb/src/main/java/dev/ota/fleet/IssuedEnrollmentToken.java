package dev.ota.fleet;

/** A new enrollment token: its terms and its text, which is shown this once and never stored. */
public record IssuedEnrollmentToken(EnrollmentTokenView view, String token) {
}
