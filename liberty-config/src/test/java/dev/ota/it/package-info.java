/**
 * Integration tests against a real Open Liberty running the real EAR (Arquillian, one server start
 * per class), over HTTP only: what a device, a TUF client or a CI pipeline would see.
 */
package dev.ota.it;
