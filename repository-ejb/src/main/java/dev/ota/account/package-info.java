/**
 * People and machines that call the management API: accounts with roles, PBKDF2 password hashes,
 * API tokens stored only as hashes, and the first administrator created at start-up with a random
 * one-time password. Passwords and token secrets never reach a log, a message or a plain column.
 */
package dev.ota.account;
