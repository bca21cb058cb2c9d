/** The command line: one command class per job, parsing arguments and calling the job. No logic of its own. */
package io.pricepath.jobs.cli;
