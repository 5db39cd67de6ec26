/**
 * The audit log as auditors read it, shared by the portal page and the management API: the filter
 * read from text, and the export as CSV or JSON written while it is read, a page at a time.
 */
package dev.ota.portal.audit;
