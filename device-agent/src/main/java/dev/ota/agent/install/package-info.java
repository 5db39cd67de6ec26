/**
 * The install itself: journal, health check, status reports and the A/B install flow that resumes or rolls
 * back after a power loss at any step. Trust decisions come from tuf-core's updater, never from here.
 */
package dev.ota.agent.install;
