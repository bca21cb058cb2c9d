/** The optimize step on Spark: article problems from the forecast grid, the decomposition, recommendations. */
package io.pricepath.jobs.optimize;
