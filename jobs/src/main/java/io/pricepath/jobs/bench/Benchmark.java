package io.pricepath.jobs.bench;

import io.pricepath.contract.ContractTables;
import io.pricepath.contract.DatasetReader;
import io.pricepath.features.PlanState;
import io.pricepath.forecast.Forecast;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.GridThroughput;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.optimize.MarkdownOptimization;
import io.pricepath.jobs.steps.Progress;
import io.pricepath.simulate.MarketSimulator;
import io.pricepath.simulate.SimulatorConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The throughput benchmark: forecast-grid rows per second per core against the same demand
 * model's raw in-process Booster predictions per second per core, and optimizer article solves
 * per second per core. Prints figures; asserts nothing.
 */
public final class Benchmark {
  private Benchmark() {}

  /** What to measure on. */
  public record Request(int articles, int markets, int weeks, String out, String confFile, List<String> overrides) {}

  /** The measured figures. */
  public record Figures(
      int articles, int markets, int cores, long articleMarkets, double trainSeconds, String demand,
      GridThroughput grid, MarkdownOptimization.SolveThroughput solves) {

    /** Figures as a person reads them. */
    public String render() {
      return String.join(System.lineSeparator(),
          "",
          "== pricepath benchmark: %,d articles × %d market(s), %,d article-markets on sale, %d cores ==".formatted(
              articles, markets, articleMarkets, cores),
          "training (5 targets): %.1f s; demand: %s".formatted(trainSeconds, demand),
          "forecast grid: %,d rows in %.1f s = %,.0f rows/s = %,.0f rows/s per core (5 models per row)".formatted(
              grid.gridRows(), grid.gridSeconds(), grid.gridRowsPerSecond(), grid.gridRowsPerSecondPerCore()),
          "raw demand model, in process, one thread: %,.0f predictions/s per core (width %d, batches of %,d)"
              .formatted(grid.rawPredictionsPerSecond(), grid.featureWidth(), grid.batchRows()),
          "  grid rows per core / raw predictions per core = %.2f; counting the 5 model predictions per grid row: %.2f"
              .formatted(grid.gridRowsPerSecondPerCore() / grid.rawPredictionsPerSecond(),
                  5 * grid.gridRowsPerSecondPerCore() / grid.rawPredictionsPerSecond()),
          "optimizer, single thread: %,d article solves in %.2f s = %,.0f solves/s per core".formatted(
              solves.localSolves(), solves.localSeconds(), solves.localPerSecond()),
          "optimizer on Spark (one full evaluation): %,d solves in %.2f s = %,.0f solves/s = %,.0f per core".formatted(
              solves.sparkSolves(), solves.sparkSeconds(), solves.sparkPerSecond(), solves.sparkPerSecond() / cores));
    }
  }

  /** Runs the benchmark. */
  public static Figures run(Request request, PrintStream console) throws Exception {
    var merged = ConfigLoader.merged(request.confFile(), request.overrides());
    RunConfig config = ConfigLoader.toRunConfig(merged);
    SparkSession spark = session(config);
    Progress progress = new Progress(console, spark, 15_000);
    try {
      int cores = spark.sparkContext().defaultParallelism();
      SimulatorConfig market = SimulatorConfig.of(request.articles(), request.markets(), request.weeks(), 42);
      Path data = generated(spark, market, Path.of(request.out(), "data"), progress);
      ContractTables tables = DatasetReader.read(spark, data.toString());
      LocalDate planWeek = market.planWeek();
      String statePath = Path.of(request.out(), "plan_state").toString();
      PlanState.build(tables, planWeek, config.horizon()).write().mode(SaveMode.Overwrite).parquet(statePath);
      Dataset<Row> planState = spark.read().parquet(statePath);
      long articleMarkets = planState.count();

      ForecastSettings settings = io.pricepath.jobs.weekly.ForecastConfigs.settings(config, cores);
      progress.line("training on history before %s ...".formatted(planWeek));
      long start = System.nanoTime();
      String modelDir = Path.of(request.out(), "models").toString();
      Forecast.train(spark, tables, planWeek, settings, modelDir).close();
      double trainSeconds = (System.nanoTime() - start) / 1e9;
      ModelSet models = Forecast.load(modelDir);
      String demand = demandModel(models.get(io.pricepath.forecast.model.Target.DEMAND).provenance());

      progress.line("forecast grid for %,d article-markets ...".formatted(articleMarkets));
      String forecasts = Path.of(request.out(), "forecasts").toString();
      GridThroughput grid = Forecast.measureThroughput(spark, tables, planState, planWeek, settings, models,
          forecasts, 2_000_000);
      progress.line(grid.toString());

      progress.line("optimizer ...");
      MarkdownOptimization.SolveThroughput solves = MarkdownOptimization.measureSolves(
          spark, spark.read().parquet(forecasts), planState, config, planWeek, 20_000);
      return new Figures(request.articles(), request.markets(), cores, articleMarkets, trainSeconds, demand, grid,
          solves);
    } finally {
      spark.stop();
    }
  }

  /** The demand model in a few words: its family, and for the transformer its training's pace. */
  static String demandModel(io.pricepath.forecast.model.Provenance p) {
    if (!p.kind().equals("transformer")) {
      return p.kind();
    }
    var m = p.metrics();
    return "transformer, %.0f epochs (best %.0f) in %.1f s, %,.0f sequence-weeks/s (series x weeks encoded per second of training)"
        .formatted(m.getOrDefault("transformer_epochs", Double.NaN), m.getOrDefault("transformer_best_epoch", Double.NaN),
            m.getOrDefault("transformer_seconds", Double.NaN),
            m.getOrDefault("transformer_sequence_weeks_per_second", Double.NaN));
  }

  /** The benchmarks' session: the config's master (unless under spark-submit) and shuffle partitions. */
  static SparkSession session(RunConfig config) {
    SparkSession.Builder builder = io.pricepath.contract.SparkSessions.configure(SparkSession.builder())
        .appName("pricepath benchmark")
        .config("spark.sql.shuffle.partitions", String.valueOf(config.shufflePartitions()));
    if (System.getProperty("spark.master") == null) { // not under spark-submit
      builder.master(config.sparkMaster()).config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** The generated market in {@code data}: generated once, kept for the next benchmark of the same size. */
  static Path generated(SparkSession spark, SimulatorConfig market, Path data, Progress progress) throws Exception {
    Path marker = data.resolve("_GENERATED");
    if (!(Files.isRegularFile(marker) && Files.readString(marker).equals(market.toString()))) {
      progress.line("generating %,d articles × %d market(s) × %d weeks ...".formatted(
          market.articles(), market.markets(), market.weeks()));
      MarketSimulator.generate(spark, market, data.toString());
      Files.writeString(marker, market.toString(), StandardCharsets.UTF_8);
    }
    return data;
  }
}
