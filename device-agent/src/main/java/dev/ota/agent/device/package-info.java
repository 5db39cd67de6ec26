/**
 * What the agent knows about its device: the configuration file and the device's own basic properties,
 * which live outside the A/B slots and survive every update.
 */
package dev.ota.agent.device;
