/**
 * How requests may reach the portal and the management API: credentials and session cookies travel
 * only over HTTPS (or over the loopback interface, which never leaves the host). Decides from the
 * connection alone; knows nothing of accounts or sessions.
 */
package dev.ota.portal.transport;
