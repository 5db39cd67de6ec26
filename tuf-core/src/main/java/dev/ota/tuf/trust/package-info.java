/**
 * The trusted metadata set: the TUF client workflow's rules (spec section 5) as a pure state machine over
 * bytes and a reference time. It never fetches, stores or reads a clock; the updater in {@code client} does.
 */
package dev.ota.tuf.trust;
