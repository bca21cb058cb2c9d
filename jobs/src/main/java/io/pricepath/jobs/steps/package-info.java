/**
 * Steps that commit atomically and are reused by content fingerprint, the run's manifest, and the
 * progress lines a user sees.
 */
package io.pricepath.jobs.steps;
