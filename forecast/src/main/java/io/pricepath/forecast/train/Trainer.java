package io.pricepath.forecast.train;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.features.FeatureBuilder;
import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.ForecastSettings.BoosterTraining;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Trains the five target models on the history before a plan week: Spark builds the training
 * samples and their features once; each target's rows come to the driver (all of them when they
 * are few enough and Spark runs in this JVM, else a sample for the margin terms while the
 * booster trains on Spark); {@link DemandFit} and {@link TargetFit} fit the models.
 */
public final class Trainer {
  /** Most training rows of a target trained on the driver; more are trained on Spark. */
  static final long LOCAL_ROWS = 2_000_000;

  /** Rows the margin terms are fitted on when the booster trains on Spark. */
  static final long SAMPLE_ROWS = 1_000_000;

  static final String RETURNED = "_returned_units";
  static final String RETURN_WEEKS_SUM = "_return_weeks_sum";

  private final SparkSession spark;
  private final ContractTables tables;
  private final LocalDate planWeek;
  private final ForecastSettings settings;
  private final FeatureLayout layout;

  private Trainer(
      SparkSession spark, ContractTables tables, LocalDate planWeek, ForecastSettings settings,
      FeatureLayout layout) {
    this.spark = spark;
    this.tables = tables;
    this.planWeek = planWeek;
    this.settings = settings;
    this.layout = layout;
  }

  /**
   * Trains and saves the five models under {@code modelDir}; see {@code Forecast.train}.
   *
   * @throws IllegalArgumentException when the dataset has no weekly rows in the training weeks
   */
  public static ModelSet train(
      SparkSession spark, ContractTables tables, LocalDate planWeek, ForecastSettings settings,
      String modelDir) {
    try (SharedSamples own = ownSamples(tables, planWeek, settings)) {
      return train(spark, own, planWeek, settings, modelDir);
    }
  }

  /**
   * As {@link #train(SparkSession, ContractTables, LocalDate, ForecastSettings, String)}, with the
   * samples taken from {@code samples} (which must {@linkplain SharedSamples#covers cover} the
   * training's origins): the same models as when they are built for this training alone.
   */
  public static ModelSet train(
      SparkSession spark, SharedSamples samples, LocalDate planWeek, ForecastSettings settings,
      String modelDir) {
    return train(spark, samples, planWeek, settings, modelDir, EnumSet.allOf(Target.class));
  }

  /**
   * As {@link #train(SparkSession, SharedSamples, LocalDate, ForecastSettings, String)}, training
   * the models of {@code targets} only; the others are {@linkplain ConstantModels#notTrained constant
   * 0 models that say so}.
   */
  public static ModelSet train(
      SparkSession spark, SharedSamples samples, LocalDate planWeek, ForecastSettings settings,
      String modelDir, Set<Target> targets) {
    Prepared prepared = prepare(spark, samples, planWeek, settings);
    try {
      ContractTables tables = samples.tables();
      TargetFit fit = prepared.fit();
      Map<Target, Supplier<List<TargetModel>>> fits = new EnumMap<>(Target.class);
      FeatureLayout layout = settings.family().transformer()
          ? prepared.layout().withSequenceWeeks(settings.family().weeks())
          : prepared.layout();
      boolean hasReturns = tables.returns().isPresent();
      Dataset<Row> rows = prepared.samples();
      if (settings.family().transformer()) {
        fits.put(Target.DEMAND,
            () -> transformerModels(spark, samples, planWeek, settings, layout, hasReturns));
      } else {
        fits.put(Target.DEMAND, () -> List.of(fit.demand(rows, prepared.cutoff())));
        fits.put(Target.RETURN_RATE, () -> List.of(fit.returnRate(rows, hasReturns)));
      }
      fits.put(Target.RETURN_WEEKS, () -> List.of(fit.returnWeeks(rows, hasReturns)));
      fits.put(Target.FULFILLMENT_COST_PER_UNIT, () -> List.of(fit.fulfillment(rows)));
      fits.put(Target.RESIDUAL_VALUE_PER_UNIT, () -> List.of(fit.residual(tables)));
      Map<Target, TargetModel> models = new EnumMap<>(Target.class);
      for (Map.Entry<Target, Supplier<List<TargetModel>>> f : fits.entrySet()) {
        if (targets.contains(f.getKey())) {
          // the transformer's fit gives demand and the return rate at once
          f.getValue().get().forEach(m -> models.putIfAbsent(m.target(), m));
        }
      }
      for (Target t : Target.values()) {
        models.computeIfAbsent(t, fit.constants()::notTrained);
      }
      // the trees read the layout without the sequence block: the set's layout holds it, and
      // they are handed their own columns of it by name
      ModelSet set = ModelSet.of(layout, List.copyOf(models.values()));
      set.save(modelDir, spark.sparkContext().hadoopConfiguration());
      return set;
    } finally {
      prepared.samples().unpersist();
    }
  }

  /**
   * The transformer's models (demand, and the return rate where it has that output): the same
   * samples encoded once more with the {@linkplain FeatureLayout#withSequenceWeeks sequence
   * block} of {@code layout}.
   */
  private static List<TargetModel> transformerModels(
      SparkSession spark, SharedSamples shared, LocalDate planWeek, ForecastSettings settings,
      FeatureLayout layout, boolean hasReturns) {
    Prepared wide = prepare(spark, shared, planWeek, settings, layout);
    try {
      return wide.fit().transformer(wide.samples(), wide.cutoff(), hasReturns);
    } finally {
      wide.samples().unpersist();
    }
  }

  /** The samples of one training, built for it alone (not kept: its encoded samples are). */
  static SharedSamples ownSamples(
      ContractTables tables, LocalDate planWeek, ForecastSettings settings) {
    return SharedSamples.unkept(
        tables, SharedSamples.trainingOrigins(planWeek, settings), planWeek, settings.horizon());
  }

  /**
   * What every target's fit starts from: the layout, the encoded training samples (persisted:
   * unpersist them when done), the validation cutoff and the fit itself.
   */
  record Prepared(
      FeatureLayout layout, Dataset<Row> samples, LocalDate cutoff, TargetFit fit) {}

  /**
   * The layout, samples and fit of a training before {@code planWeek}.
   *
   * @throws IllegalArgumentException when the dataset has no weekly rows in the training weeks
   */
  static Prepared prepare(
      SparkSession spark, SharedSamples shared, LocalDate planWeek, ForecastSettings settings) {
    return prepare(spark, shared, planWeek, settings, shared.layout(planWeek));
  }

  /** As {@link #prepare(SparkSession, SharedSamples, LocalDate, ForecastSettings)}, encoded with {@code layout}. */
  private static Prepared prepare(
      SparkSession spark, SharedSamples shared, LocalDate planWeek, ForecastSettings settings,
      FeatureLayout layout) {
    ContractTables tables = shared.tables();
    SortedSet<LocalDate> origins = SharedSamples.trainingOrigins(planWeek, settings);
    LocalDate cutoff = SharedSamples.validationCutoff(planWeek, settings);
    Trainer trainer = new Trainer(spark, tables, planWeek, settings, layout);
    Provenances provenances =
        new Provenances(layout, settings, planWeek, origins.first(), spark.version());
    Dataset<Row> samples =
        trainer
            .encodedSamples(shared.rows(origins, planWeek, settings.horizon()))
            .persist(StorageLevel.MEMORY_AND_DISK());
    if (samples.isEmpty()) {
      samples.unpersist();
      throw new IllegalArgumentException(
          "Cannot train models: %s/weekly has no rows in the %d training weeks before the plan week %s (choose a later plan week or more training weeks)"
              .formatted(tables.root(), settings.trainingWeeks(), planWeek));
    }
    TargetFit fit =
        new TargetFit(spark, layout, settings, planWeek, provenances, trainer.localTraining());
    return new Prepared(layout, samples, cutoff, fit);
  }

  /** Whether a target's rows may be trained on the driver (where they fit): see {@link BoosterTraining}. */
  private boolean localTraining() {
    return switch (settings.boosterTraining()) {
      case AUTO -> spark.sparkContext().isLocal();
      case DRIVER -> true;
      case SPARK -> false;
    };
  }

  /** Training samples with their features and return aggregates, partitioned for the workers. */
  private Dataset<Row> encodedSamples(Dataset<Row> samples) {
    // encoded first: the wide origin states are read once, and the join below moves slim rows
    Dataset<Row> encoded =
        FeatureBuilder.withFeatures(
            samples, layout,
            List.of(Columns.ARTICLE_ID, Columns.MARKET, FeatureBuilder.ORIGIN, Columns.WEEK,
                FeatureBuilder.H, Columns.UNITS_SOLD, FeatureBuilder.CENSORED,
                Columns.FULFILLMENT_COST, FeatureBuilder.UNITS_4));
    if (tables.returns().isPresent()) {
      Dataset<Row> returns =
          tables
              .returns()
              .get()
              .filter(col(Columns.RETURN_WEEK).lt(lit(planWeek)))
              .groupBy(
                  col(Columns.ARTICLE_ID),
                  col(Columns.MARKET),
                  col(Columns.SALE_WEEK).as(Columns.WEEK))
              .agg(
                  sum(col(Columns.UNITS)).cast(DataTypes.DoubleType).as(RETURNED),
                  sum(col(Columns.UNITS)
                          .multiply(datediff(col(Columns.RETURN_WEEK), col(Columns.SALE_WEEK)))
                          .divide(7.0))
                      .as(RETURN_WEEKS_SUM));
      encoded =
          encoded
              .join(returns, scalaSeq(Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK), "left")
              .withColumn(RETURNED, coalesce(col(RETURNED), lit(0.0)))
              .withColumn(RETURN_WEEKS_SUM, coalesce(col(RETURN_WEEKS_SUM), lit(0.0)));
    } else {
      encoded = encoded.withColumn(RETURNED, lit(0.0)).withColumn(RETURN_WEEKS_SUM, lit(0.0));
    }
    return encoded
        .select(
            col(Columns.ARTICLE_ID),
            col(Columns.MARKET),
            col(FeatureBuilder.ORIGIN),
            col(Columns.WEEK),
            col(FeatureBuilder.H),
            col(Columns.UNITS_SOLD).cast(DataTypes.DoubleType).as(Columns.UNITS_SOLD),
            col(FeatureBuilder.CENSORED),
            col(Columns.FULFILLMENT_COST).cast(DataTypes.DoubleType).as(Columns.FULFILLMENT_COST),
            col(RETURNED),
            col(RETURN_WEEKS_SUM),
            col(FeatureBuilder.UNITS_4),
            col(FeatureBuilder.FEATURES))
        .repartition(settings.numWorkers(), col(Columns.ARTICLE_ID), col(Columns.MARKET))
        .sortWithinPartitions(
            Columns.ARTICLE_ID, Columns.MARKET, FeatureBuilder.ORIGIN, Columns.WEEK);
  }

  static scala.collection.immutable.Seq<String> scalaSeq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(names)).toList();
  }
}
