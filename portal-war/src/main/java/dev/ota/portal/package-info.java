/**
 * The administrators' portal (Jakarta Faces with Mojarra and PrimeFaces) at {@code /portal}.
 * Views call repository-ejb services only; no entity or EntityManager is used here.
 */
package dev.ota.portal;
