/**
 * The client side of TUF: the updater that fetches (with size caps and time limits, never retrying), feeds
 * the trusted metadata set, and stores accepted metadata atomically; plus target search and download.
 * All trust decisions are delegated to {@code trust}; this package only moves bytes.
 */
package dev.ota.tuf.client;
