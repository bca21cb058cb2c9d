package io.pricepath.jobs.cli;

import io.pricepath.validate.DatasetValidator;
import io.pricepath.validate.ValidationOptions;
import io.pricepath.validate.ValidationReport;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pricepath validate}: checks a dataset root against the data contract. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a dataset root against the data contract: tables, columns, types, nulls, ranges, keys, "
        + "weeks, files. Exit 0 when usable, 2 when a fatal problem was found.")
final class ValidateCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "ROOT", description = "Dataset root.")
  String data;

  @Option(names = "--quarantine", paramLabel = "DIR",
      description = "Set bad rows aside in DIR (with report.json) instead of failing on them.")
  String quarantine;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(names = "--master", defaultValue = "local[*]", description = "Spark master for embedded runs.")
  String master;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Override
  public Integer call() {
    SparkSession spark = Sessions.open("validate", master, 8);
    try {
      ValidationOptions options =
          quarantine == null ? ValidationOptions.strict() : ValidationOptions.quarantineTo(quarantine);
      ValidationReport report = DatasetValidator.validate(spark, data, options);
      System.out.println(json ? report.toJson() : report.render());
      if (report.hasFatal()) {
        long fatal = report.problems().stream().filter(p -> p.isFatal()).count();
        throw new Cli.UserError("Cannot use dataset %s: %d fatal problem%s (listed above); fix %s, or set bad rows "
            .formatted(data, fatal, fatal == 1 ? "" : "s", fatal == 1 ? "it" : "them")
            + "aside with --quarantine DIR");
      }
      return 0;
    } finally {
      Sessions.close(spark);
    }
  }
}
