package io.pricepath.jobs.cli;

import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.weekly.RunSummary;
import io.pricepath.jobs.weekly.WeeklyRun;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pricepath run}: the weekly markdown run. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Validate, train, forecast, optimise and export one week's markdown recommendations. "
        + "Re-running the same command reuses finished steps and resumes a killed run.")
final class RunCommand implements Callable<Integer> {
  static final String DATA_HINT = "pass --data with a dataset root, e.g. one written by pricepath generate";

  @Option(names = "--data", required = true, paramLabel = "ROOT", description = "Dataset root (data contract v1).")
  String data;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder for outputs and manifest.")
  String out;

  @Option(names = "--stop-after", paramLabel = "STEP",
      description = "Stop after this step: validate, plan-state, train, forecast, optimize, export.")
  String stopAfter;

  @Option(names = "--overrides", paramLabel = "CSV",
      description = "The managers' edited export: every week cell changed from the export is locked at its "
          + "discount; the row's override_reason is kept in the run's review_reason.")
  String overrides;

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    var sets = new java.util.ArrayList<>(options.overrides);
    if (overrides != null) {
      sets.add("overrides=" + overrides);
    }
    var merged = ConfigLoader.merged(options.confFile, sets);
    RunConfig config = ConfigLoader.toRunConfig(merged);
    var request = new WeeklyRun.Request(data, out, config, ConfigLoader.toJson(merged), stopAfter);
    Preflight preflight = new Preflight(Sessions.sparkConf(merged)).folder("dataset", data, DATA_HINT).output("--out", out);
    if (config.overridesFile() != null) {
      preflight.file(overrides != null ? "--overrides" : "overrides", config.overridesFile());
    }
    SparkSession spark = Sessions.open("run", config.sparkMaster(), config.shufflePartitions(),
        Sessions.sparkConf(merged));
    try {
      RunSummary summary = WeeklyRun.run(spark, request, System.out);
      System.out.println(summary.render());
      return summary.targetsMissed() ? 3 : 0;
    } finally {
      Sessions.close(spark);
    }
  }
}
