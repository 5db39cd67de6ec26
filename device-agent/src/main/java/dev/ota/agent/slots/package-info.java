/**
 * The A/B slots of a simulated device: slot content, the boot selection file and the boot loader's
 * trial-boot counter. Knows nothing about TUF or the network; the installer drives it.
 */
package dev.ota.agent.slots;
