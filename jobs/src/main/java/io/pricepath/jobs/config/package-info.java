/** Run configuration: resolved once on the driver from defaults, a run file and command-line overrides. */
package io.pricepath.jobs.config;
