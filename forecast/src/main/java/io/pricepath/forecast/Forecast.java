package io.pricepath.forecast;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.Weeks;
import io.pricepath.features.FeatureBuilder;
import io.pricepath.features.FeatureLayout;
import io.pricepath.features.OriginState;
import io.pricepath.features.OriginStateReader;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import io.pricepath.forecast.train.SharedSamples;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * The forecast module's entry points: train the five discount-dependent models, load saved ones,
 * compute the forecast grid, measure its throughput.
 */
public final class Forecast {
  private Forecast() {}

  /**
   * Version of the code that trains models from data, derived from that code (see {@link
   * io.pricepath.forecast.train.ModelCode}): written into every model's provenance and into the
   * backtest's model-cache key, so that models trained by other code are not reused.
   */
  public static String modelCodeVersion() {
    return io.pricepath.forecast.train.ModelCode.version();
  }

  /**
   * Trains the five target models on the weekly history strictly before {@code planWeek} and
   * saves them under {@code modelDir/<target>/} ({@code model.ubj} and {@code provenance.json}).
   * Spark builds the training samples and their features; a target's rows are trained on the
   * driver with {@code xgboost4j} when Spark runs in this JVM and they are few enough, else with
   * XGBoost4J-Spark ({@code settings.numWorkers()} workers).
   *
   * <ul>
   *   <li>demand: {@code count:poisson} level trees on top of margin terms (the base level, a
   *       discount response per category moved towards each series' own, a season term, a level
   *       blend, the series' own level and signal lift), trees and terms fitted in alternating
   *       passes; the trees read neither the discount nor the price, so demand is non-decreasing
   *       in the discount for every row. With {@code validationWeeks > 0} the trees stop early
   *       on the last {@code validationWeeks} before the plan week (a time-ordered split; no
   *       trees at all when the terms alone do as well there) and the final model is retrained
   *       on every week with the best rounds; holdout figures are in its provenance;
   *   <li>return rate ({@code reg:logistic} on a return response, weighted by units sold) and
   *       return time (weighted by returned units) from {@code returns/}, 0 without it;
   *   <li>fulfillment cost per unit, weighted by units sold;
   *   <li>residual value per unit from {@code residuals/}, 0 without it.
   * </ul>
   *
   * A target with fewer than {@code minTrainingRows} rows falls back to a constant model (the
   * weighted mean of its labels), said in its provenance. Versions are content hashes: the same
   * data, settings and seed give the same versions.
   *
   * @throws IllegalArgumentException when the dataset has no weekly rows before {@code planWeek}
   */
  public static ModelSet train(
      SparkSession spark,
      ContractTables tables,
      LocalDate planWeek,
      ForecastSettings settings,
      String modelDir) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(tables, "tables");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(modelDir, "modelDir");
    checkPlanWeek(planWeek);
    return io.pricepath.forecast.train.Trainer.train(spark, tables, planWeek, settings, modelDir);
  }

  /**
   * As {@link #train(SparkSession, ContractTables, LocalDate, ForecastSettings, String)} on
   * {@code samples.tables()}, with the training samples read from {@code samples} instead of built
   * for this training alone: the same models, cheaper when several trainings share the samples.
   *
   * @throws IllegalArgumentException when {@code samples} do not {@linkplain SharedSamples#covers
   *     cover} this training's origins ({@link SharedSamples#trainingOrigins}), or the dataset has
   *     no weekly rows before {@code planWeek}
   */
  public static ModelSet train(
      SparkSession spark,
      SharedSamples samples,
      LocalDate planWeek,
      ForecastSettings settings,
      String modelDir) {
    return train(spark, samples, planWeek, settings, modelDir, EnumSet.allOf(Target.class));
  }

  /**
   * As {@link #train(SparkSession, SharedSamples, LocalDate, ForecastSettings, String)}, training
   * only the models of {@code targets}: the others are saved as constant 0 models whose
   * provenance says they were not trained. For a backtest, which evaluates some targets only;
   * such a set is not for serving.
   */
  public static ModelSet train(
      SparkSession spark,
      SharedSamples samples,
      LocalDate planWeek,
      ForecastSettings settings,
      String modelDir,
      Set<Target> targets) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(samples, "samples");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(modelDir, "modelDir");
    Objects.requireNonNull(targets, "targets");
    checkPlanWeek(planWeek);
    return io.pricepath.forecast.train.Trainer.train(
        spark, samples, planWeek, settings, modelDir, targets);
  }

  /**
   * Loads the models that {@link #train} saved under {@code modelDir}, with the Hadoop
   * configuration of the active Spark session when there is one.
   *
   * @throws IllegalArgumentException when a model is missing or was altered
   */
  public static ModelSet load(String modelDir) {
    Configuration hadoop =
        SparkSession.getActiveSession().isDefined()
            ? SparkSession.getActiveSession().get().sparkContext().hadoopConfiguration()
            : new Configuration();
    return ModelSet.load(modelDir, hadoop);
  }

  /**
   * The forecast grid of the data contract: one row per (article, market) of {@code planState}
   * (see {@link io.pricepath.features.PlanState}), week of the horizon and discount of the
   * ladder, with columns {@code article_id, market, week, discount, demand, return_rate,
   * return_weeks, fulfillment_cost_per_unit, residual_value_per_unit, model_version}. Computed
   * partition by partition on the executors with the raw models in batches of {@code
   * settings.batchRows()}; nothing is collected to the driver. Demand is non-decreasing in the
   * discount for every (article, market, week); return rate is in [0, 1], the rest &ge; 0.
   */
  public static Dataset<Row> grid(
      SparkSession spark,
      ContractTables tables,
      Dataset<Row> planState,
      LocalDate planWeek,
      ForecastSettings settings,
      ModelSet models) {
    return grid(spark, tables, planState, planWeek, settings, models, null);
  }

  private static Dataset<Row> grid(
      SparkSession spark,
      ContractTables tables,
      Dataset<Row> planState,
      LocalDate planWeek,
      ForecastSettings settings,
      ModelSet models,
      LongAccumulator rowsOut) {
    checkPlanWeek(planWeek);
    Dataset<Row> inputs =
        FeatureBuilder.scoringInputs(
            tables, planState, planWeek, settings.horizon(), models.layout());
    GridPartition scorer =
        new GridPartition(
            new OriginStateReader(inputs.schema(), models.layout()),
            broadcast(spark, models),
            settings.ladder(),
            settings.horizon(),
            planWeek,
            settings.batchRows(),
            rowsOut);
    return inputs
        .mapPartitions(scorer, Encoders.row(GridPartition.SCHEMA))
        .select(
            col(Columns.ARTICLE_ID),
            col(Columns.MARKET),
            date_add(lit(planWeek), col(GridPartition.H).minus(1).multiply(7)).as(Columns.WEEK),
            col(Columns.DISCOUNT),
            col(Columns.DEMAND),
            col(Columns.RETURN_RATE),
            col(Columns.RETURN_WEEKS),
            col(Columns.FULFILLMENT_COST_PER_UNIT),
            col(Columns.RESIDUAL_VALUE_PER_UNIT),
            col(Columns.MODEL_VERSION));
  }

  /**
   * {@code models} as the executors read them: sent once to each executor JVM (not with every
   * task), where its tasks share one instance and its native state. Spark drops it once the
   * driver no longer holds the returned handle.
   */
  public static Broadcast<ModelSet> broadcast(SparkSession spark, ModelSet models) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(models);
  }

  /**
   * Runs the real grid job into {@code sink} ({@code null}: Spark's {@code noop} sink, else a
   * Parquet folder partitioned by market, overwritten) and times it; then times {@code rawRows}
   * predictions of the raw demand model on this thread, on feature rows of the grid (up to 256
   * (article, market) expanded and repeated). Figures are for benchmarks, not assertions.
   */
  public static GridThroughput measureThroughput(
      SparkSession spark,
      ContractTables tables,
      Dataset<Row> planState,
      LocalDate planWeek,
      ForecastSettings settings,
      ModelSet models,
      String sink,
      long rawRows) {
    if (rawRows < 1) {
      throw new IllegalArgumentException(
          "Cannot measure throughput: raw rows (%d) must be >= 1".formatted(rawRows));
    }
    LongAccumulator rows = spark.sparkContext().longAccumulator("forecast grid rows");
    Dataset<Row> grid = grid(spark, tables, planState, planWeek, settings, models, rows);
    long start = System.nanoTime();
    if (sink == null) {
      grid.write().format("noop").mode("overwrite").save();
    } else {
      grid.write().mode("overwrite").partitionBy(Columns.MARKET).parquet(sink);
    }
    double gridSeconds = (System.nanoTime() - start) / 1e9;
    int cores = spark.sparkContext().defaultParallelism();
    RawBoosterRate raw = measureRawDemand(tables, planState, planWeek, settings, models, rawRows);
    long gridRows = rows.value();
    double gridRate = gridRows / gridSeconds;
    return new GridThroughput(
        gridRows,
        gridSeconds,
        gridRate,
        cores,
        gridRate / cores,
        raw.rows(),
        raw.seconds(),
        raw.perSecond(),
        raw.width(),
        raw.batchRows(),
        sink == null ? "noop" : sink);
  }

  /**
   * One core's ceiling for one model: times {@code rawRows} predictions of the raw demand model on
   * this thread, in batches of {@code forecast.batch-rows}, on feature rows of the grid (up to 256
   * (article, market) of {@code planState} expanded over weeks × ladder and repeated).
   */
  public static RawBoosterRate measureRawDemand(ContractTables tables, Dataset<Row> planState, LocalDate planWeek,
      ForecastSettings settings, ModelSet models, long rawRows) {
    if (rawRows < 1) {
      throw new IllegalArgumentException(
          "Cannot measure throughput: raw rows (%d) must be >= 1".formatted(rawRows));
    }
    FeatureLayout layout = models.layout();
    Dataset<Row> inputs =
        FeatureBuilder.scoringInputs(tables, planState, planWeek, settings.horizon(), layout);
    OriginStateReader reader = new OriginStateReader(inputs.schema(), layout);
    List<Row> sample = inputs.limit(256).collectAsList();
    if (sample.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot measure throughput: nothing is on sale at %s (empty plan state)".formatted(planWeek));
    }
    double[] ladder = settings.ladder();
    int perArticle = settings.horizon() * ladder.length;
    OriginState[] states = new OriginState[sample.size()];
    double[][][] signals = new double[sample.size()][settings.horizon()][];
    for (int a = 0; a < states.length; a++) {
      states[a] = reader.state(sample.get(a));
      for (int t = 0; t < settings.horizon(); t++) {
        signals[a][t] = reader.futureSignals(sample.get(a), t + 1);
      }
    }
    int width = layout.width();
    float[] features = new float[states.length * perArticle * width];
    float[] articles = new float[states.length * layout.articleWidth()];
    GridPartition.fill(
        layout, states, signals, states.length, settings.horizon(), planWeek, ladder, features,
        articles);
    int available = states.length * perArticle;
    int batch = (int) Math.min(settings.batchRows(), rawRows);
    float[] x = new float[batch * width];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(features, (i % available) * width, x, i * width, width);
    }
    double[] out = new double[batch];
    TargetModel demand = models.get(Target.DEMAND);
    demand.predict(x, batch, width, out);
    long done = 0;
    long rawStart = System.nanoTime();
    while (done < rawRows) {
      int n = (int) Math.min(batch, rawRows - done);
      demand.predict(x, n, width, out);
      done += n;
    }
    double rawSeconds = (System.nanoTime() - rawStart) / 1e9;
    // what each per-level model costs a grid row, scored as the grid scores it (by runs of levels)
    int[] decisionColumns =
        layout.discountFeatures().stream().mapToInt(n -> layout.names().indexOf(n)).toArray();
    Map<Target, Double> perGridRow = new EnumMap<>(Target.class);
    double[] levels = new double[available];
    for (Target target : List.of(Target.DEMAND, Target.RETURN_RATE, Target.RETURN_WEEKS,
        Target.FULFILLMENT_COST_PER_UNIT)) {
      TargetModel model = models.get(target);
      model.predictLevels(features, available, width, ladder.length, decisionColumns, levels);
      long scored = 0;
      long start = System.nanoTime();
      while (scored < rawRows) {
        model.predictLevels(features, available, width, ladder.length, decisionColumns, levels);
        scored += available;
      }
      perGridRow.put(target, scored / ((System.nanoTime() - start) / 1e9));
      model.close();
    }
    return new RawBoosterRate(done, rawSeconds, width, batch, perGridRow);
  }

  private static void checkPlanWeek(LocalDate planWeek) {
    if (planWeek == null || !Weeks.isMonday(planWeek)) {
      throw new IllegalArgumentException(
          "Cannot forecast: the plan week must be a Monday (%s)".formatted(planWeek));
    }
  }
}
