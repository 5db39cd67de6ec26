/** The {@code ota-agent} command: wires configuration, updater, slots and installer together. */
package dev.ota.agent.runtime;
