/**
 * This server installation: where its data directory is and which schema version its database
 * holds. Runs first at start-up; the other domains rely on the schema it brings up to date and
 * never create tables themselves. The bottom of the module: it uses no other domain (the first
 * start, which does, lives in {@code dev.ota.startup}).
 */
package dev.ota.installation;
