/**
 * This server installation: where its data directory is and which schema version its database
 * holds. Runs first at start-up; the other domains rely on the schema it brings up to date and
 * never create tables themselves.
 */
package dev.ota.installation;
