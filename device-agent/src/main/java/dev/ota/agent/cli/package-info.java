/**
 * The verification CLI of ../shared/docs/agent-cli.md: a thin shell over tuf-core's updater that maps every
 * failure to exit status 1. It holds no TUF rules of its own.
 */
package dev.ota.agent.cli;
