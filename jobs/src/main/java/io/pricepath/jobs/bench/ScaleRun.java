package io.pricepath.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.DatasetReader;
import io.pricepath.forecast.Forecast;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.RawBoosterRate;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.registry.ModelRegistry;
import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.steps.Progress;
import io.pricepath.jobs.steps.StepRunner;
import io.pricepath.jobs.weekly.RunSummary;
import io.pricepath.jobs.weekly.ForecastConfigs;
import io.pricepath.jobs.weekly.WeeklyRun;
import io.pricepath.simulate.SimulatorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The whole weekly run on a large generated market ({@code pricepath benchmark --scale}): the same
 * {@link WeeklyRun} a user runs, then for every step its wall time, rows in and out, rows per
 * second per core and the driver's peak heap. Prints figures; asserts nothing.
 */
public final class ScaleRun {
  private ScaleRun() {}

  /** One step's figures; {@code rowsIn}, {@code rowsOut} as {@link #rows} counts them. */
  public record Step(String name, boolean reused, long millis, long rowsIn, long rowsOut, long heapMb) {
    double rowsPerSecondPerCore(int cores) {
      return millis == 0 ? Double.NaN : Math.max(rowsIn, rowsOut) / (millis / 1000.0) / cores;
    }
  }

  /**
   * The forecast step's yardsticks, measured after the run on the same market and model set: the
   * grid job again into Spark's {@code noop} sink (features and models without the Parquet write),
   * and the raw demand Booster on one thread.
   */
  public record Yardsticks(double noopSeconds, RawBoosterRate raw) {}

  /** The run's figures. */
  public record Figures(SimulatorConfig market, int cores, long maxHeapMb, List<Step> steps, long gridRows,
      double gap, long millis, Yardsticks yardsticks) {

    /** Figures as a person reads them. */
    public String render() {
      List<String> lines = new ArrayList<>(List.of("",
          "== pricepath benchmark --scale: %,d articles × %d market(s) × %d weeks, %d cores, driver -Xmx %,d MiB =="
              .formatted(market.articles(), market.markets(), market.weeks(), cores, maxHeapMb),
          "%-11s %10s %14s %14s %16s %16s".formatted("step", "wall", "rows in", "rows out", "rows/s per core",
              "driver peak heap")));
      for (Step s : steps) {
        lines.add("%-11s %10s %,14d %,14d %16s %16s".formatted(s.name(),
            s.reused() ? "reused" : Progress.duration(s.millis()), s.rowsIn(), s.rowsOut(),
            s.reused() ? "" : "%,.0f".formatted(s.rowsPerSecondPerCore(cores)),
            s.reused() ? "" : "%,d MiB".formatted(s.heapMb())));
      }
      lines.add("forecast grid: %,d rows; optimizer gap %.4f %%; whole run %s".formatted(gridRows, 100 * gap,
          Progress.duration(millis)));
      Step forecast = steps.stream().filter(s -> s.name().equals("forecast")).findFirst().orElseThrow();
      if (!forecast.reused()) {
        double perCore = gridRows / (forecast.millis() / 1000.0) / cores;
        double noopPerCore = gridRows / yardsticks.noopSeconds() / cores;
        double raw = yardsticks.raw().perSecond();
        lines.add(("forecast grid %,.0f rows/s per core (to the noop sink: %,.0f); raw demand Booster %,.0f "
            + "predictions/s on one thread (width %d, batches of %,d); grid / raw = %.3f (noop: %.3f)").formatted(
            perCore, noopPerCore, raw, yardsticks.raw().width(), yardsticks.raw().batchRows(), perCore / raw,
            noopPerCore / raw));
        double seconds = 0;
        List<String> models = new ArrayList<>();
        for (var e : yardsticks.raw().gridRowsPerSecond().entrySet()) {
          seconds += 1 / e.getValue();
          models.add("%s %,.0f".formatted(e.getKey().column(), e.getValue()));
        }
        lines.add(("  per-level models scored as the grid scores them, grid rows/s on one thread: %s; together %,.0f "
            + "(the rest of a grid row's cost is features, rows and the write)").formatted(String.join(", ", models),
            1 / seconds));
      }
      lines.add("rows: validate = the dataset's rows (articles, weekly, returns, residuals); plan-state = weekly in,"
          + " article-markets on sale out; train = weekly in, training origins' samples (demand rows) out;"
          + " forecast = article-markets in, grid rows out; optimize = grid rows in, recommendation rows out;"
          + " export = recommendation rows in, CSV rows out");
      return String.join(System.lineSeparator(), lines);
    }
  }

  /** Generates the market once (kept in {@code OUT/data}), runs the weekly job into {@code OUT/run}. */
  public static Figures run(Benchmark.Request request, PrintStream console) throws Exception {
    var merged = ConfigLoader.merged(request.confFile(), request.overrides());
    RunConfig config = ConfigLoader.toRunConfig(merged);
    SparkSession spark = Benchmark.session(config);
    try {
      Progress progress = new Progress(console, spark, 15_000);
      SimulatorConfig market = SimulatorConfig.of(request.articles(), request.markets(), request.weeks(), 42);
      Path data = Benchmark.generated(spark, market, Path.of(request.out(), "data"), progress);
      String out = Path.of(request.out(), "run").toString();
      RunSummary summary = WeeklyRun.run(spark,
          new WeeklyRun.Request(data.toString(), out, config, ConfigLoader.toJson(merged), null), console);
      Map<String, long[]> rows = rows(spark, data.toString(), out, summary);
      List<Step> steps = new ArrayList<>();
      for (StepRunner.Outcome o : summary.steps()) {
        long[] io = rows.getOrDefault(o.name(), new long[2]);
        steps.add(new Step(o.name(), o.reused(), o.millis(), io[0], io[1], o.driverPeakHeapMb()));
      }
      long maxHeapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() >> 20;
      progress.line("yardsticks: the grid into the noop sink, the raw demand Booster on one thread ...");
      Yardsticks yardsticks = yardsticks(spark, data.toString(), out, config);
      return new Figures(market, spark.sparkContext().defaultParallelism(), maxHeapMb, steps,
          rows.get("forecast")[1], summary.gap(), summary.millis(), yardsticks);
    } finally {
      spark.stop();
    }
  }

  /** {@link Yardsticks} of the run in {@code out}: its plan state and the model set that served it. */
  private static Yardsticks yardsticks(SparkSession spark, String data, String out, RunConfig config)
      throws IOException {
    JsonNode manifest;
    var hadoop = spark.sparkContext().hadoopConfiguration();
    var path = new org.apache.hadoop.fs.Path(out, "manifest.json");
    try (var in = path.getFileSystem(hadoop).open(path)) {
      manifest = new ObjectMapper().readTree(in);
    }
    String modelDir;
    try (var registry = ModelRegistry.open(manifest.path("models").path("registry").asText(), hadoop)) {
      modelDir = registry.modelDir(manifest.path("models").path("serving").path("version").asText());
    }
    LocalDate planWeek = LocalDate.parse(manifest.path("plan_week").asText());
    ContractTables tables = DatasetReader.read(spark, data);
    Dataset<Row> state = spark.read().parquet(out + "/plan_state");
    ForecastSettings settings = ForecastConfigs.settings(config, spark.sparkContext().defaultParallelism());
    long start = System.nanoTime();
    Forecast.grid(spark, tables, state, planWeek, settings, ModelSet.load(modelDir, hadoop))
        .write().format("noop").mode("overwrite").save();
    double noopSeconds = (System.nanoTime() - start) / 1e9;
    RawBoosterRate raw = Forecast.measureRawDemand(tables, state, planWeek, settings,
        ModelSet.load(modelDir, hadoop), 2_000_000);
    return new Yardsticks(noopSeconds, raw);
  }

  /** The demand model's training rows from the provenance the run wrote beside its outputs (0 if none). */
  private static long trainingRows(String provenance) {
    try {
      var path = new org.apache.hadoop.fs.Path(provenance);
      try (var in = path.getFileSystem(new Configuration()).open(path)) {
        return new ObjectMapper().readTree(in).path("provenance").path("trainingRows").asLong(0);
      }
    } catch (IOException e) {
      return 0;
    }
  }

  /** Rows in and out of each step, counted on the dataset and the run's outputs. */
  private static Map<String, long[]> rows(SparkSession spark, String data, String out, RunSummary summary) {
    ContractTables tables = DatasetReader.read(spark, data);
    long weekly = tables.weekly().count();
    long input = tables.articles().count() + weekly + tables.returns().map(r -> r.count()).orElse(0L)
        + tables.residuals().map(r -> r.count()).orElse(0L);
    long onSale = spark.read().parquet(out + "/plan_state").count();
    long grid = spark.read().parquet(out + "/forecasts").count();
    long plan = spark.read().parquet(out + "/recommendations").count();
    long training = trainingRows(out + "/models/demand/provenance.json");
    return Map.of(
        "validate", new long[] {input, input},
        "plan-state", new long[] {weekly, onSale},
        "train", new long[] {weekly, training},
        "forecast", new long[] {onSale, grid},
        "optimize", new long[] {grid, plan},
        "export", new long[] {plan, onSale});
  }
}
