/**
 * What a server does at start-up: under the installation lock, bring the schema up to date, then
 * bootstrap the repository and create the first administrator through their services. The top of the
 * module: it may use every domain, and no domain uses it (installation sits at the bottom, so it cannot
 * call up into the domains itself).
 */
package dev.ota.startup;
