/** The pricepath jobs: {@link io.pricepath.jobs.Pricepath} is the one entry point, for bin/pricepath and spark-submit. */
package io.pricepath.jobs;
