package io.pricepath.jobs.cli;

import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.policy.PolicyBacktest;
import io.pricepath.jobs.policy.PolicyBacktestResult;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pricepath policy-backtest}: a season week by week on a generated market, for four policies. */
@Command(name = "policy-backtest", mixinStandardHelpOptions = true,
    description = "Run a season of W weeks from a generated market's plan week, week by week, for pricepath (learnt "
        + "forecasts), the oracle (true demand as forecast), no markdown and a rule ladder (10 %% more every 4 weeks "
        + "from 6 weeks after launch); the simulator realises each week with its true demand. Reports profit, "
        + "revenue, sell-through and discount-rate adherence per policy and the share of the oracle's gain over the "
        + "ladder that pricepath captures; writes policy-backtest.json, report.html and policies/ into OUT.")
final class PolicyBacktestCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "ROOT", description = "Dataset root written by generate.")
  String data;

  @Option(names = "--weeks", required = true, paramLabel = "W", description = "Weeks in the season (1 to 104).")
  int weeks;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Folder for policy-backtest.json, report.html and policies/ (policies/ is replaced).")
  String out;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the demand draws (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--expected", description = "Realise every week with expected demand instead of random draws.")
  boolean expected;

  @Option(names = "--retrain-every", paramLabel = "N",
      description = "Retrain pricepath's models every N weeks (default: retrain.every-weeks of the config).")
  Integer retrainEvery;

  @Option(names = "--rolling-targets",
      description = "Company-wide targets over each week's horizon alone, not over the season to date plus the horizon.")
  boolean rollingTargets;

  @Option(names = "--truth-forecast", split = ",", paramLabel = "COLUMN",
      description = "Diagnostic: pricepath takes these forecast columns from the simulator's truth instead of its "
          + "models (demand, return_rate, return_weeks, fulfillment_cost_per_unit, residual_value_per_unit), or "
          + "demand@category-elasticity: the true demand with the mean elasticity of each category and market.")
  java.util.List<String> truthForecast = java.util.List.of();

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    var merged = ConfigLoader.merged(options.confFile, options.overrides);
    RunConfig config = ConfigLoader.toRunConfig(merged);
    if (weeks < 1 || weeks > 104) {
      throw new Cli.UserError("Cannot run the policy backtest: --weeks must be between 1 and 104 (%d)".formatted(weeks));
    }
    if (retrainEvery != null && retrainEvery < 1) {
      throw new Cli.UserError("Cannot run the policy backtest: --retrain-every must be >= 1 (%d)".formatted(retrainEvery));
    }
    for (String column : truthForecast) {
      if (!PolicyBacktest.Request.FORECAST_COLUMNS.contains(column)) {
        throw new Cli.UserError("Cannot run the policy backtest: --truth-forecast %s is not one of %s"
            .formatted(column, String.join(", ", PolicyBacktest.Request.FORECAST_COLUMNS)));
      }
    }
    var request = new PolicyBacktest.Request(data, out, weeks, config,
        retrainEvery != null ? retrainEvery : config.models().retrainEveryWeeks(), seed, expected, !rollingTargets,
        java.util.Set.copyOf(truthForecast));
    SparkSession spark = Sessions.open("policy-backtest", config.sparkMaster(), config.shufflePartitions(),
        Sessions.sparkConf(merged));
    try {
      PolicyBacktestResult result = PolicyBacktest.run(spark, request, System.out);
      System.out.println(result.render());
      System.out.println("written: " + new Path(out, PolicyBacktest.JSON) + ", " + new Path(out, PolicyBacktest.REPORT)
          + ", " + new Path(out, PolicyBacktest.POLICIES));
      return 0;
    } finally {
      Sessions.close(spark);
    }
  }
}
