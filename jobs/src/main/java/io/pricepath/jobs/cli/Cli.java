package io.pricepath.jobs.cli;

import io.pricepath.contract.InvalidDatasetException;
import io.pricepath.jobs.config.ConfigException;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pricepath} command line: parses arguments and runs one job. */
@Command(
    name = "pricepath",
    mixinStandardHelpOptions = true,
    version = "pricepath 0.1.0",
    description = "Markdown pricing: forecast demand by discount, optimise discount paths under company-wide targets.",
    subcommands = {
      DemoCommand.class,
      GenerateCommand.class,
      ValidateCommand.class,
      RunCommand.class,
      DailyCommand.class,
      BacktestCommand.class,
      PolicyBacktestCommand.class,
      ModelsCommand.class,
      SimulateCommand.class,
      BenchmarkCommand.class
    })
public final class Cli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and returns the process exit code (0 ok, 1 failed, 2 bad input). */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new Cli());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      boolean debug = parseResult.originalArgs().contains("--debug");
      if (debug) {
        e.printStackTrace(err);
      }
      if (e instanceof InvalidDatasetException || e instanceof ConfigException || e instanceof UserError) {
        err.println("error: " + e.getMessage());
        return 2;
      }
      var storage = Sessions.storageProblem(e); // a missing bucket or denied access on s3a://
      if (storage.isPresent()) {
        err.println("error: " + storage.get());
        return 2;
      }
      var unreachable = Sessions.unreachableStore(e); // the store is down or cut off: not the user's input
      if (unreachable.isPresent()) {
        err.println("error: " + unreachable.get());
        return 1;
      }
      if (e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).startsWith("Cannot")) {
        err.println("error: " + e.getMessage());
        return 2;
      }
      // A domain failure raised on an executor arrives wrapped in Spark's exceptions: say only what it says.
      for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
        String message = String.valueOf(c.getMessage());
        if (c instanceof InvalidDatasetException || c instanceof ConfigException
            || ((c instanceof IllegalArgumentException || c instanceof IllegalStateException)
                && message.startsWith("Cannot"))) {
          err.println("error: " + message.lines().findFirst().orElse(message));
          return c instanceof IllegalStateException ? 1 : 2;
        }
      }
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      err.println("error: %s: %s".formatted(e.getClass().getSimpleName(),
          String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
      if (cause != e) {
        err.println("  caused by %s: %s".formatted(cause.getClass().getSimpleName(),
            String.valueOf(cause.getMessage()).lines().findFirst().orElse("")));
      }
      if (!debug) {
        err.println("  (run again with --debug for the stack trace)");
      }
      return 1;
    });
    return cli.execute(args);
  }

  /** A problem with what the user asked for; the message says what to change. */
  public static final class UserError extends RuntimeException {
    public UserError(String message) {
      super(message);
    }
  }
}
