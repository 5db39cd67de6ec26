/**
 * Jobs that must run on exactly one server at a time and keep their schedule across restarts: each job is a
 * row ({@code scheduled_job}) holding its next due time and a lease. A server that finds a job due claims the
 * lease with a compare-and-set under the row's lock, runs it, and records the outcome and the next due time;
 * a server that dies mid-run loses the lease when it expires, and the next server whose tick comes takes
 * over. Knows nothing of what a job does; uses only the clock and the database.
 */
package dev.ota.schedule;
