package io.pricepath.jobs.cli;

import io.pricepath.jobs.config.ConfigException;
import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.weekly.DailyRun;
import io.pricepath.jobs.weekly.RunSummary;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pricepath daily}: prices the articles that appeared since the week's run. */
@Command(name = "daily", mixinStandardHelpOptions = true,
    description = "Price the article-markets that appeared in the data since a weekly run, with the week's models "
        + "and config, the week's plans of all other articles held fixed in the company-wide targets. Writes a run "
        + "folder of its own; the weekly run's folder is only read.")
final class DailyCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "ROOT",
      description = "Dataset root, now holding the new articles (data contract v1).")
  String data;

  @Option(names = "--weekly", required = true, paramLabel = "RUN", description = "The week's run folder (done).")
  String weekly;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "This daily run's folder.")
  String out;

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    for (String set : options.overrides) {
      String key = set.contains("=") ? set.substring(0, set.indexOf('=')).trim() : set;
      if (!key.replaceFirst("^pricepath\\.", "").startsWith("spark.")) {
        throw new ConfigException(("Cannot use --set %s with daily: a daily run prices with the week's config (from "
            + "its manifest.json), so only the session's spark.* settings may be given").formatted(set));
      }
    }
    var merged = ConfigLoader.merged(options.confFile, options.overrides);
    RunConfig session = ConfigLoader.toRunConfig(merged);
    new Preflight(Sessions.sparkConf(merged)).folder("dataset", data, RunCommand.DATA_HINT)
        .folder("weekly run", weekly, "pass --weekly with the folder of the week's pricepath run").output("--out", out);
    SparkSession spark = Sessions.open("daily", session.sparkMaster(), session.shufflePartitions(),
        Sessions.sparkConf(merged));
    try {
      RunSummary summary = DailyRun.run(spark, new DailyRun.Request(data, weekly, out), System.out);
      System.out.println(summary.render("pricepath daily run"));
      return summary.targetsMissed() ? 3 : 0;
    } finally {
      Sessions.close(spark);
    }
  }
}
