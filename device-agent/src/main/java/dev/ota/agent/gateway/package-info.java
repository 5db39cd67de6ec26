/**
 * Gateway mode (fleet.md, "Gateway"): the agent as a mirror on the local network that serves device-api.md's paths to
 * the devices behind it. It adds no trust: images are cached only after the gateway verified them against the image
 * repository's signed targets (so a broken upstream costs one refused download, not a poisoned cache), director
 * metadata is passed through with each device's own bearer token and never re-signed, and check-ins, enrollments,
 * configuration and key calls are forwarded byte for byte. Every device still verifies everything end to end, so a
 * compromised gateway can only withhold updates, which shows as a freeze once expiries pass.
 */
package dev.ota.agent.gateway;
