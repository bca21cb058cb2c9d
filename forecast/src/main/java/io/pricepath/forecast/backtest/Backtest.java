package io.pricepath.forecast.backtest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.Weeks;
import io.pricepath.features.FeatureBuilder;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.train.SharedSamples;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * The rolling-origin backtest: for every origin of {@link BacktestSettings#origins()}, the models
 * trained on the history strictly before it (or the same models from the cache) forecast the next
 * {@code horizon} weeks of every (article, market) that has a weekly row there, at the discount
 * and weekly signals that row actually had, beside the two baselines; the forecasts are compared
 * with the units sold.
 */
public final class Backtest {
  private Backtest() {}

  /** Metrics file under the output folder. */
  public static final String METRICS = "metrics.json";

  /** Predictions folder (Parquet) under the output folder. */
  public static final String PREDICTIONS = "predictions";

  /** Report page under the output folder. */
  public static final String REPORT = "report.html";

  /**
   * The targets a backtest evaluates, the only ones its origins' models are trained for (return
   * time and residual value are not: their models in the cache are not trained).
   */
  static final Set<Target> EVALUATED =
      EnumSet.of(Target.DEMAND, Target.RETURN_RATE, Target.FULFILLMENT_COST_PER_UNIT);

  /** Columns of {@code predictions/}, in order. */
  public static final List<String> PREDICTION_COLUMNS =
      List.of(
          Baselines.ORIGIN,
          FeatureBuilder.H,
          Columns.ARTICLE_ID,
          Columns.MARKET,
          Columns.WEEK,
          Columns.DISCOUNT,
          PricepathScores.ACTUAL,
          PricepathScores.CENSORED,
          PricepathScores.FORECAST,
          Baselines.RECENT_MEAN,
          Baselines.LOG_LOG);

  private static final String RETURNED = "_returned_units";
  private static final int SAMPLE_SERIES = 6;

  /**
   * Runs the backtest and writes, under {@code outDir} (any Hadoop path; replaced):
   *
   * <ul>
   *   <li>{@code metrics.json}: demand WAPE, bias and row count of the primary model, per horizon
   *       week, per model (pricepath, recent_mean, loglog_elasticity), other targets in {@code
   *       by_target}; sold-out weeks are left out of the demand figures;
   *   <li>{@code predictions/}: Parquet, one row per origin, article, market and week: {@link
   *       #PREDICTION_COLUMNS}, and with a {@linkplain BacktestSettings#compared() compared
   *       family} its forecasts ({@code forecast_pricepath_<family>});
   *   <li>{@code report.html}: a self-contained page with accuracy by horizon and forecast
   *       against actual for a few series.
   * </ul>
   *
   * Models of an origin are trained into {@code modelCacheDir/origin=YYYY-MM-DD/} with {@code
   * settings.training()}, and reused by a later backtest when the origin, the settings and every
   * row training can read for that origin are the same; a compared family's under {@code
   * modelCacheDir/family=<name>/}.
   *
   * @throws IllegalArgumentException when an origin has no history in its training window
   */
  public static BacktestResult run(
      SparkSession spark,
      ContractTables tables,
      BacktestSettings settings,
      String outDir,
      String modelCacheDir) {
    return run(spark, tables, settings, outDir, modelCacheDir, null);
  }

  /**
   * As {@link #run(SparkSession, ContractTables, BacktestSettings, String, String)}, with the
   * samples of training and scoring read from {@code shared} (built from the same tables) when it
   * is given; null builds them for this backtest.
   *
   * @throws IllegalArgumentException when {@code shared} does not {@linkplain #samplesNeeded
   *     cover} what the backtest reads, or an origin has no history in its training window
   */
  public static BacktestResult run(
      SparkSession spark,
      ContractTables tables,
      BacktestSettings settings,
      String outDir,
      String modelCacheDir,
      SharedSamples shared) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(tables, "tables");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(modelCacheDir, "modelCacheDir");
    // Every origin reads the same tables (fingerprints, training samples, scores, baselines):
    // from Parquet once, then from memory, spilled to disk where they do not fit.
    ContractTables persisted = persist(tables);
    try {
      return evaluate(spark, persisted, settings, outDir, modelCacheDir, shared);
    } finally {
      unpersist(persisted);
    }
  }

  /**
   * The origins whose samples a backtest reads when none of its models is cached: every origin
   * (scored) and the {@linkplain SharedSamples#trainingOrigins training origins} of each; with
   * target weeks before {@link #samplesEnd}, up to its horizon.
   */
  public static SortedSet<LocalDate> samplesNeeded(BacktestSettings settings) {
    return samplesNeeded(settings, settings.origins());
  }

  /** The end (exclusive) of the target weeks a backtest reads: its last origin plus the horizon. */
  public static LocalDate samplesEnd(BacktestSettings settings) {
    List<LocalDate> origins = settings.origins();
    return origins.get(origins.size() - 1).plusWeeks(settings.horizon());
  }

  private static SortedSet<LocalDate> samplesNeeded(
      BacktestSettings settings, List<LocalDate> trainedOrigins) {
    SortedSet<LocalDate> out = new TreeSet<>(settings.origins());
    for (LocalDate o : trainedOrigins) {
      out.addAll(SharedSamples.trainingOrigins(o, settings.training()));
    }
    return out;
  }

  private static ContractTables persist(ContractTables t) {
    StorageLevel level = StorageLevel.MEMORY_AND_DISK();
    return new ContractTables(
        t.root(), t.articles().persist(level), t.weekly().persist(level),
        t.returns().map(r -> r.persist(level)), t.residuals().map(r -> r.persist(level)));
  }

  private static void unpersist(ContractTables t) {
    t.articles().unpersist();
    t.weekly().unpersist();
    t.returns().ifPresent(Dataset::unpersist);
    t.residuals().ifPresent(Dataset::unpersist);
  }

  private static BacktestResult evaluate(
      SparkSession spark,
      ContractTables tables,
      BacktestSettings settings,
      String outDir,
      String modelCacheDir,
      SharedSamples shared) {
    List<LocalDate> origins = settings.origins();
    Map<LocalDate, String> keys = ModelCache.keys(tables, origins, settings.training());
    Map<LocalDate, String> comparedKeys =
        settings.compared() == null
            ? Map.of()
            : ModelCache.keys(tables, origins, settings.comparedTraining());
    List<LocalDate> toTrain =
        origins.stream()
            .filter(o -> !ModelCache.cached(spark, o, modelCacheDir, keys.get(o))
                || (settings.compared() != null
                    && !ModelCache.cached(spark, o, comparedCache(settings, modelCacheDir),
                        comparedKeys.get(o))))
            .toList();
    SortedSet<LocalDate> needed = samplesNeeded(settings, toTrain);
    LocalDate end = samplesEnd(settings);
    if (shared != null && !shared.covers(needed, end, settings.horizon())) {
      throw new IllegalArgumentException(
          "Cannot run the backtest on the samples given: they do not hold origins %s before %s, %d weeks ahead"
              .formatted(needed, end, settings.horizon()));
    }
    try (SharedSamples own =
        shared == null ? SharedSamples.of(tables, needed, end, settings.horizon()) : null) {
      return compare(
          spark, tables, settings, outDir, modelCacheDir, keys, comparedKeys,
          shared == null ? own : shared);
    }
  }

  /** Where the compared family's models are cached: a folder of their own beside the origins'. */
  private static String comparedCache(BacktestSettings settings, String modelCacheDir) {
    return new Path(modelCacheDir, "family=" + settings.compared().name()).toString();
  }

  /** Trains or reads each origin's models, scores its weeks and compares them with the actuals. */
  private static BacktestResult compare(
      SparkSession spark,
      ContractTables tables,
      BacktestSettings settings,
      String outDir,
      String modelCacheDir,
      Map<LocalDate, String> keys,
      Map<LocalDate, String> comparedKeys,
      SharedSamples samples) {
    List<LocalDate> origins = settings.origins();
    int horizon = settings.horizon();
    ForecastSettings training = settings.training();
    int trained = 0;
    Map<LocalDate, String> versions = new LinkedHashMap<>();
    Dataset<Row> scored = null;
    for (LocalDate o : origins) {
      ModelCache.Entry e =
          ModelCache.models(spark, samples, o, training, modelCacheDir, keys.get(o));
      trained += e.trained() ? 1 : 0;
      versions.put(o, e.models().get(Target.DEMAND).version());
      Dataset<Row> rows =
          PricepathScores.score(samples, o, horizon, e.models(), training.batchRows());
      scored = scored == null ? rows : scored.union(rows);
    }
    int partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions", "8"));
    Dataset<Row> baselines =
        Baselines.forecasts(tables, origins, horizon, training.trainingWeeks(), partitions);
    List<String> keyColumns =
        List.of(Baselines.ORIGIN, Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK);
    // One union branch per origin, each with the partitions of its samples: as many tasks as
    // origins × partitions would read the result, each tiny; coalesced, one task reads several.
    Dataset<Row> all = scored.coalesce(partitions).join(baselines, Baselines.seq(keyColumns.toArray(new String[0])), "left");
    Map<String, String> columns = new LinkedHashMap<>(Evaluation.COLUMNS_IN_ORDER);
    List<String> predictionColumns = new ArrayList<>(PREDICTION_COLUMNS);
    if (settings.compared() != null) {
      // the other family's demand forecasts of the same rows, from its own models per origin
      String name = settings.comparedName();
      String column = "forecast_" + name;
      Dataset<Row> other = null;
      for (LocalDate o : origins) {
        ModelCache.Entry e =
            ModelCache.models(
                spark, samples, o, settings.comparedTraining(),
                comparedCache(settings, modelCacheDir), comparedKeys.get(o));
        trained += e.trained() ? 1 : 0;
        Dataset<Row> rows =
            PricepathScores.score(samples, o, horizon, e.models(), training.batchRows())
                .select(col(Baselines.ORIGIN), col(Columns.ARTICLE_ID), col(Columns.MARKET),
                    col(Columns.WEEK), col(PricepathScores.FORECAST).as(column));
        other = other == null ? rows : other.union(rows);
      }
      all = all.join(other.coalesce(partitions), Baselines.seq(keyColumns.toArray(new String[0])), "left");
      columns.put(name, column);
      predictionColumns.add(column);
    }
    LocalDate returnsMature = null;
    if (tables.returns().isPresent()) {
      Dataset<Row> returns = tables.returns().get();
      Dataset<Row> returned =
          returns
              .groupBy(
                  col(Columns.ARTICLE_ID),
                  col(Columns.MARKET),
                  col(Columns.SALE_WEEK).as(Columns.WEEK))
              .agg(sum(col(Columns.UNITS)).cast(DataTypes.DoubleType).as(RETURNED));
      all =
          all.join(returned, Baselines.seq(Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK), "left")
              .withColumn(RETURNED, coalesce(col(RETURNED), lit(0.0)));
      Row last = returns.agg(max(col(Columns.RETURN_WEEK))).first();
      if (!last.isNullAt(0)) {
        returnsMature =
            Weeks.toLocalDate(last.get(0)).minusWeeks(training.returnMaturityWeeks() - 1L);
      }
    }
    all = all.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      all.select(predictionColumns.stream().map(c -> col(c)).toArray(Column[]::new))
          .write()
          .mode("overwrite")
          .parquet(new Path(outDir, PREDICTIONS).toString());
      baselines.unpersist();
      List<BacktestResult.Horizon> byHorizon = Evaluation.byHorizon(all, horizon, columns);
      Map<String, Accuracy> byTarget = new LinkedHashMap<>();
      Map<String, String> targets = new LinkedHashMap<>();
      if (returnsMature != null) {
        byTarget.put(Target.RETURN_RATE.column(), Evaluation.returns(all, RETURNED, returnsMature));
        targets.put(
            Target.RETURN_RATE.column(),
            ("returned units given the units actually sold: Σ|returned − units_sold × forecast return rate| / Σ returned"
                    + " (bias likewise) over target weeks with sales before %s, whose returns have had %d weeks to come back")
                .formatted(returnsMature, training.returnMaturityWeeks()));
      } else {
        targets.put(
            Target.RETURN_RATE.column(),
            "not evaluated: the dataset has no returns/ table (return rate is 0 by the data contract)");
      }
      Accuracy fulfillment = Evaluation.fulfillment(all);
      byTarget.put(Target.FULFILLMENT_COST_PER_UNIT.column(), fulfillment);
      targets.put(
          Target.FULFILLMENT_COST_PER_UNIT.column(),
          fulfillment.n() > 0
              ? "fulfillment cost given the units actually sold: Σ|fulfillment_cost − units_sold × forecast cost per unit| / Σ fulfillment_cost"
                  + " (bias likewise) over target weeks with sales and a known fulfillment_cost"
              : "not evaluated: no target week with sales has a fulfillment_cost");
      BacktestResult result =
          new BacktestResult(
              origins,
              horizon,
              trained,
              origins.size() * (settings.compared() == null ? 1 : 2) - trained,
              versions,
              Evaluation.censored(all),
              Evaluation.total(byHorizon),
              byHorizon,
              byTarget,
              outDir);
      org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      ModelCache.write(new Path(outDir, METRICS), MetricsFile.json(result, targets), hadoop);
      ModelCache.write(new Path(outDir, REPORT), ReportPage.html(result, samples(all)), hadoop);
      return result;
    } finally {
      all.unpersist();
      baselines.unpersist();
    }
  }

  /**
   * Up to six (article, market) series spread over the range of sales volume, with their rows:
   * ranked on Spark, only the picked ranks come to the driver.
   */
  private static List<ReportPage.Sample> samples(Dataset<Row> all) {
    Dataset<Row> totals =
        all.groupBy(col(Columns.ARTICLE_ID), col(Columns.MARKET))
            .agg(sum(col(PricepathScores.ACTUAL)).as("total"))
            .orderBy(col("total").desc(), col(Columns.ARTICLE_ID), col(Columns.MARKET));
    long n = totals.count();
    java.util.HashSet<Long> ranks = new java.util.HashSet<>();
    for (int k = 0; k < Math.min(SAMPLE_SERIES, n); k++) {
      ranks.add(SAMPLE_SERIES >= n ? k : Math.round(k * (n - 1) / (SAMPLE_SERIES - 1.0)));
    }
    List<String[]> picked = new ArrayList<>();
    for (Row r :
        totals.javaRDD().zipWithIndex().filter(t -> ranks.contains(t._2())).keys().collect()) {
      picked.add(new String[] {r.getString(0), r.getString(1)});
    }
    Column filter = lit(false);
    for (String[] p : picked) {
      filter = filter.or(col(Columns.ARTICLE_ID).equalTo(p[0]).and(col(Columns.MARKET).equalTo(p[1])));
    }
    Map<String, List<ReportPage.Point>> points = new LinkedHashMap<>();
    for (String[] p : picked) {
      points.put(p[0] + "\u0000" + p[1], new ArrayList<>());
    }
    for (Row r :
        all.filter(filter)
            .select(
                col(Columns.ARTICLE_ID),
                col(Columns.MARKET),
                col(Baselines.ORIGIN),
                col(Columns.WEEK),
                col(PricepathScores.ACTUAL),
                col(PricepathScores.CENSORED),
                coalesce(col(PricepathScores.FORECAST), lit(0.0)),
                coalesce(col(Baselines.RECENT_MEAN), lit(0.0)),
                coalesce(col(Baselines.LOG_LOG), lit(0.0)))
            .collectAsList()) {
      points
          .get(r.getString(0) + "\u0000" + r.getString(1))
          .add(
              new ReportPage.Point(
                  Weeks.toLocalDate(r.get(2)),
                  Weeks.toLocalDate(r.get(3)),
                  r.getDouble(4),
                  r.getBoolean(5),
                  new double[] {r.getDouble(6), r.getDouble(7), r.getDouble(8)}));
    }
    List<ReportPage.Sample> out = new ArrayList<>();
    for (String[] p : picked) {
      out.add(new ReportPage.Sample(p[0], p[1], points.get(p[0] + "\u0000" + p[1])));
    }
    return out;
  }
}
