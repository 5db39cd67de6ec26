/**
 * The device protocol of device-api.md as immutable records: the documents a device signs and sends
 * (enrollment, check-in, configuration backup, key rotation), the server's answers, the {@code custom} fields of
 * director targets, and the release fields a device checks in the image repository. Each document parses
 * strictly ({@link dev.ota.protocol.MalformedDocumentException} names the field) and encodes as OLPC canonical
 * JSON with tuf-core, so the server and the agent agree on the signed bytes; and {@link dev.ota.protocol.ByteRange},
 * the answer to a download's {@code Range} header that the server and a gateway both give. Plain Java on tuf-core
 * only: no HTTP client or server, no storage, no server or agent code.
 */
package dev.ota.protocol;
