/**
 * The append-only, tamper-evident audit log: who did what, when, and with what outcome. Each entry
 * stores the hash of its predecessor and its own hash over its canonical JSON, so an edited or
 * deleted row breaks the chain. Entries are only ever inserted; nothing here updates or deletes them.
 */
package dev.ota.audit;
