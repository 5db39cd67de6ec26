/**
 * The release catalogue: uploads, bulk imports from tar archives, listing, showing and removing releases,
 * with every check a release passes before it is stored or signed (path rules, version, hardware ids,
 * custom fields). It publishes through {@code dev.ota.publishing}, keeps bytes in the blob store of
 * {@code dev.ota.serving}, and audits each change and each refusal under the person who asked.
 */
package dev.ota.release;
