/**
 * What the repository's domains share and nothing else: the settings read from the environment, the
 * failure every refused repository operation throws, and how request text is shown in messages and
 * audit entries. The domains sit on top of it, each arrow pointing down only: {@code dev.ota.expiry}
 * (status and re-signing before expiry), {@code dev.ota.release} (the release catalogue),
 * {@code dev.ota.publishing} (signing new metadata), {@code dev.ota.serving} (the stored repository
 * and what devices fetch from it).
 */
package dev.ota.repository;
