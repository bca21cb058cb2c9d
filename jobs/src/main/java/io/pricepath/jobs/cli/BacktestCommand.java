package io.pricepath.jobs.cli;

import io.pricepath.contract.ContractTables;
import io.pricepath.contract.DatasetReader;
import io.pricepath.contract.Weeks;
import io.pricepath.forecast.backtest.Backtest;
import io.pricepath.forecast.backtest.BacktestResult;
import io.pricepath.forecast.backtest.BacktestSettings;
import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.weekly.ForecastConfigs;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pricepath backtest}: rolling-origin evaluation of the forecasts on the dataset's own history. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
    description = "For each origin from FROM to TO every K weeks: train on history strictly before it (or reuse the "
        + "cached models of that origin), forecast the next H weeks at the discounts actually applied, compare with "
        + "what happened, beside two baselines. Writes metrics.json, predictions/ and report.html into OUT.")
final class BacktestCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "ROOT", description = "Dataset root.")
  String data;

  @Option(names = "--from", required = true, paramLabel = "WEEK", description = "First origin (a Monday).")
  String from;

  @Option(names = "--to", required = true, paramLabel = "WEEK", description = "Last origin (a Monday).")
  String to;

  @Option(names = "--every", defaultValue = "4", paramLabel = "K", description = "Weeks between origins (default ${DEFAULT-VALUE}).")
  int every;

  @Option(names = "--horizon", defaultValue = "4", paramLabel = "H", description = "Weeks forecast from each origin (default ${DEFAULT-VALUE}).")
  int horizon;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for metrics.json, predictions/, report.html.")
  String out;

  @Option(names = "--model-cache", paramLabel = "DIR",
      description = "Where the models of each origin are kept for reuse (default: OUT/../backtest-cache).")
  String modelCache;

  @Option(names = "--both-families",
      description = "Also forecast demand with the other model family (forecast.model: trees or transformer), "
          + "trained on the same origins, and report it beside the configured one and the baselines.")
  boolean bothFamilies;

  @Mixin ConfigOptions options;

  @Override
  public Integer call() {
    var merged = ConfigLoader.merged(options.confFile, options.overrides);
    RunConfig config = ConfigLoader.toRunConfig(merged);
    var settings = new BacktestSettings(Weeks.parseMonday("--from", from), Weeks.parseMonday("--to", to), every,
        horizon, ForecastConfigs.settings(config, 2));
    new Preflight(Sessions.sparkConf(merged)).folder("dataset", data, RunCommand.DATA_HINT).output("--out", out);
    SparkSession spark = Sessions.open("backtest", config.sparkMaster(), config.shufflePartitions(),
        Sessions.sparkConf(merged));
    try {
      ContractTables tables = DatasetReader.read(spark, data);
      var forecast = ForecastConfigs.settings(config, spark.sparkContext().defaultParallelism());
      settings = new BacktestSettings(settings.from(), settings.to(), every, horizon, forecast);
      if (bothFamilies) {
        settings = settings.comparedWith(forecast.family().transformer()
            ? forecast.family().asTrees() : forecast.family().asTransformer());
      }
      Path outPath = new Path(out);
      String cache = modelCache != null ? modelCache
          : new Path(outPath.getParent() == null ? outPath : outPath.getParent(), "backtest-cache").toString();
      System.out.printf("backtest: %d origins %s … %s every %d weeks, %d weeks ahead%n",
          settings.origins().size(), settings.from(), settings.to(), every, horizon);
      BacktestResult result = Backtest.run(spark, tables, settings, out, cache);
      System.out.println(result.render());
      System.out.println("written: " + new Path(out, Backtest.METRICS) + ", " + new Path(out, Backtest.PREDICTIONS)
          + ", " + new Path(out, Backtest.REPORT));
      return 0;
    } finally {
      Sessions.close(spark);
    }
  }
}
