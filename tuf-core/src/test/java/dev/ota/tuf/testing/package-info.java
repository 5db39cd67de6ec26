/**
 * Test support shipped in tuf-core's test-jar: a TUF repository simulator that signs with fixed test keys and
 * serves from memory (as a {@link dev.ota.tuf.client.Fetcher}) or over loopback HTTP, with the means to build
 * hostile repository states (re-signed edits, replays, tampered, endless or trickled files). Never used by
 * production code; no key here protects anything.
 */
package dev.ota.tuf.testing;
