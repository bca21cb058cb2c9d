/** The weekly markdown run: its steps, the pricing managers' CSV and the summary. */
package io.pricepath.jobs.weekly;
