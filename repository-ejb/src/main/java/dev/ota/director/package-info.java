/**
 * The director (issue 12; architecture.md "Two repositories"): one TUF repository per device whose signed
 * targets name the image the device should run. One root for every device, with its own keys in a keystore
 * apart from the image repository's; per device a targets, snapshot and timestamp, signed when the device's
 * assignment changes and again on fetch when they near expiry. Assignments are made by hand for now, and only
 * for an image the image repository lists for the device's hardware with a release counter not below its own.
 */
package dev.ota.director;
