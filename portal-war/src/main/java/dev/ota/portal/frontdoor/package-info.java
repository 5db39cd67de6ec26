/**
 * How a person's requests reach the portal's pages: the addresses a person types ({@code /portal/},
 * {@code /portal/app/}) lead to a page; a form of a page whose session ended is not carried out but
 * leads back to that page; a form post without its page's CSP nonce is refused before any action runs.
 * Decides nothing about accounts or releases; the pages' security constraints and the authentication
 * mechanism still decide who sees what.
 */
package dev.ota.portal.frontdoor;
