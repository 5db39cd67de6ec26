/**
 * The fleet simulator: many devices of the real agent library in one JVM over asynchronous HTTP, for tests and
 * bench/. It measures and reports; it holds no device logic of its own.
 */
package dev.ota.agent.sim;
