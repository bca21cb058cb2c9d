/** The throughput benchmark job: figures printed, nothing asserted. */
package io.pricepath.jobs.bench;
