/**
 * What a request must be before the portal or the management API reads it: credentials and session
 * cookies travel only over HTTPS (or over the loopback interface, which never leaves the host), and
 * multipart bodies reach only the signed-in upload page. Decides from the connection and the request
 * line alone; knows nothing of accounts, sessions or releases.
 */
package dev.ota.portal.transport;
