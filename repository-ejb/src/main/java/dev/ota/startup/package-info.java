/**
 * What a server does once its schema is current: bootstrap the repository and create the first
 * administrator, through their services. The top of the module: it may use every domain, and no
 * domain uses it (installation sits at the bottom, so it cannot call up into the domains itself).
 */
package dev.ota.startup;
