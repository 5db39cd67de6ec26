/**
 * The device-facing HTTP adapter at context root {@code /}: TUF metadata and target files exactly
 * as stored, with caching headers that match whether a name can ever change. It parses requests,
 * calls one service method and maps the result; repository rules live in repository-ejb.
 */
package dev.ota.deviceapi;
