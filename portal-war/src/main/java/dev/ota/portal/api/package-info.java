/**
 * The management REST API at {@code /portal/api/v1}: JSON over HTTP for people and CI pipelines,
 * authenticated with Basic credentials or Bearer API tokens, authorised by role on the services it
 * calls. Resources parse, call one service method and map; errors become {@code {code, message}}.
 */
package dev.ota.portal.api;
