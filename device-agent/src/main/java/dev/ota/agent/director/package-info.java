/**
 * Following the director (device-api.md, "Director metadata"): refresh this device's director repository when a
 * check-in says it changed, take an order only when the image repository agrees on every field, then download,
 * wait for a window and a device that is not busy, install A/B and report each step through the check-ins.
 */
package dev.ota.agent.director;
