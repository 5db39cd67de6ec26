/**
 * The fleet (fleet.md, device-api.md): devices, how they enroll with an administrator's token, their signed,
 * counter-stamped check-ins, configuration backups and key rotations, and what an administrator does to them.
 * The decisions are pure functions over records ({@link dev.ota.fleet.CheckinRules}, {@link
 * dev.ota.fleet.EnrollmentRules}); the services ({@link dev.ota.fleet.Enrollments}, {@link
 * dev.ota.fleet.Checkins}, {@link dev.ota.fleet.DeviceConfigs}, {@link dev.ota.fleet.DeviceAdministration}) load
 * rows, apply a decision and write it with a compare-and-set. Knows no HTTP types; time only from the injected
 * Clock.
 */
package dev.ota.fleet;
