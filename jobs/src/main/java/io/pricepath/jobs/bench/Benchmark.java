package io.pricepath.jobs.bench;

import io.pricepath.contract.ContractTables;
import io.pricepath.contract.DatasetReader;
import io.pricepath.features.PlanState;
import io.pricepath.forecast.Forecast;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.GridThroughput;
import io.pricepath.forecast.ModelFamily;
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
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The throughput benchmark: forecast-grid rows per second per core against the same demand
 * model's raw in-process predictions per second per core — for the configured model family, and
 * with {@code bothFamilies} for the other one too, on the same market in the same run — and
 * optimizer article solves per second per core. Prints figures; asserts nothing.
 */
public final class Benchmark {
  private Benchmark() {}

  /** What to measure on. */
  public record Request(
      int articles, int markets, int weeks, String out, String confFile, List<String> overrides,
      boolean bothFamilies) {}

  /** One family's training and grid. */
  public record FamilyFigures(String family, double trainSeconds, String demand, GridThroughput grid) {
    List<String> lines() {
      return List.of(
          "[%s] training (5 targets): %.1f s; demand: %s".formatted(family, trainSeconds, demand),
          "[%s] forecast grid: %,d rows in %.1f s = %,.0f rows/s = %,.0f rows/s per core (5 models per row)".formatted(
              family, grid.gridRows(), grid.gridSeconds(), grid.gridRowsPerSecond(), grid.gridRowsPerSecondPerCore()),
          "[%s] raw demand model, in process, one thread: %,.0f predictions/s per core (width %d, batches of %,d)"
              .formatted(family, grid.rawPredictionsPerSecond(), grid.featureWidth(), grid.batchRows()),
          "[%s]   grid rows per core / raw predictions per core = %.2f; counting the 5 model predictions per grid row: %.2f"
              .formatted(family, grid.gridRowsPerSecondPerCore() / grid.rawPredictionsPerSecond(),
                  5 * grid.gridRowsPerSecondPerCore() / grid.rawPredictionsPerSecond()));
    }
  }

  /** The measured figures: one entry per family, the configured one first. */
  public record Figures(
      int articles, int markets, int cores, long articleMarkets, List<FamilyFigures> families,
      MarkdownOptimization.SolveThroughput solves) {

    /** Figures as a person reads them. */
    public String render() {
      List<String> lines = new ArrayList<>(List.of("",
          "== pricepath benchmark: %,d articles × %d market(s), %,d article-markets on sale, %d cores ==".formatted(
              articles, markets, articleMarkets, cores)));
      families.forEach(f -> lines.addAll(f.lines()));
      if (families.size() == 2) {
        FamilyFigures a = families.get(0);
        FamilyFigures b = families.get(1);
        lines.add("grid rows/s per core, same market, same run: %s %,.0f, %s %,.0f (%s / %s = %.2f)".formatted(
            a.family(), a.grid().gridRowsPerSecondPerCore(), b.family(), b.grid().gridRowsPerSecondPerCore(),
            b.family(), a.family(), b.grid().gridRowsPerSecondPerCore() / a.grid().gridRowsPerSecondPerCore()));
      }
      lines.add("optimizer (on the %s grid), single thread: %,d article solves in %.2f s = %,.0f solves/s per core".formatted(
          families.get(0).family(), solves.localSolves(), solves.localSeconds(), solves.localPerSecond()));
      lines.add("optimizer on Spark (one full evaluation): %,d solves in %.2f s = %,.0f solves/s = %,.0f per core".formatted(
          solves.sparkSolves(), solves.sparkSeconds(), solves.sparkPerSecond(), solves.sparkPerSecond() / cores));
      return String.join(System.lineSeparator(), lines);
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
      List<ForecastSettings> runs = new ArrayList<>(List.of(settings));
      if (request.bothFamilies()) {
        ModelFamily f = settings.family();
        runs.add(settings.withFamily(f.transformer() ? f.asTrees() : f.asTransformer()));
      }
      List<FamilyFigures> families = new ArrayList<>();
      for (ForecastSettings s : runs) {
        families.add(family(spark, tables, planState, planWeek, s, request.out(), articleMarkets, progress));
      }

      progress.line("optimizer ...");
      MarkdownOptimization.SolveThroughput solves = MarkdownOptimization.measureSolves(
          spark, spark.read().parquet(forecasts(request.out(), runs.get(0))), planState, config, planWeek, 20_000);
      return new Figures(request.articles(), request.markets(), cores, articleMarkets, families, solves);
    } finally {
      spark.stop();
    }
  }

  /** Trains {@code settings}' family and times its forecast grid. */
  private static FamilyFigures family(
      SparkSession spark, ContractTables tables, Dataset<Row> planState, LocalDate planWeek,
      ForecastSettings settings, String out, long articleMarkets, Progress progress) {
    String name = settings.family().name();
    progress.line("[%s] training on history before %s ...".formatted(name, planWeek));
    long start = System.nanoTime();
    String modelDir = Path.of(out, "models-" + name).toString();
    Forecast.train(spark, tables, planWeek, settings, modelDir).close();
    double trainSeconds = (System.nanoTime() - start) / 1e9;
    try (ModelSet models = Forecast.load(modelDir)) {
      String demand = demandModel(models.get(io.pricepath.forecast.model.Target.DEMAND).provenance());
      progress.line("[%s] forecast grid for %,d article-markets ...".formatted(name, articleMarkets));
      GridThroughput grid = Forecast.measureThroughput(spark, tables, planState, planWeek, settings, models,
          forecasts(out, settings), 2_000_000);
      progress.line(grid.toString());
      return new FamilyFigures(name, trainSeconds, demand, grid);
    }
  }

  private static String forecasts(String out, ForecastSettings settings) {
    return Path.of(out, "forecasts-" + settings.family().name()).toString();
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
