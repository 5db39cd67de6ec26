/**
 * Integration tests against a real Open Liberty running the real EAR (Arquillian; one server
 * start per failsafe execution, the EAR deployed once in it: see {@code deploy.DeployOnceContainer}), over
 * HTTP only: what a device, a TUF client or a CI pipeline would see.
 */
package dev.ota.it;
