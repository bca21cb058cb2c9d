package io.pricepath.forecast;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.features.FeatureBuilder;
import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.model.DiscountResponse;
import io.pricepath.forecast.model.LevelTerm;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Provenance;
import io.pricepath.forecast.model.ReturnResponse;
import io.pricepath.forecast.model.SeasonTerm;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/** Trains the five target models on the history before a plan week. */
final class Trainer {
  static final String LABEL = "_label";
  static final String WEIGHT = "_weight";
  static final String RETURNED = "_returned_units";
  static final String RETURN_WEEKS_SUM = "_return_weeks_sum";

  private final SparkSession spark;
  private final ContractTables tables;
  private final LocalDate planWeek;
  private final ForecastSettings settings;
  private final FeatureLayout layout;
  private final Map<String, String> libraries;
  private final LocalDate firstOrigin;

  private Trainer(
      SparkSession spark,
      ContractTables tables,
      LocalDate planWeek,
      ForecastSettings settings,
      FeatureLayout layout,
      LocalDate firstOrigin) {
    this.spark = spark;
    this.tables = tables;
    this.planWeek = planWeek;
    this.settings = settings;
    this.layout = layout;
    this.libraries = libraryVersions(spark);
    this.firstOrigin = firstOrigin;
  }

  static ModelSet train(
      SparkSession spark,
      ContractTables tables,
      LocalDate planWeek,
      ForecastSettings settings,
      String modelDir) {
    TreeSet<LocalDate> origins =
        new TreeSet<>(
            FeatureBuilder.trainingOrigins(
                planWeek, settings.trainingWeeks(), settings.originEvery()));
    LocalDate cutoff = planWeek.minusWeeks(settings.validationWeeks());
    if (settings.validationWeeks() > 0) {
      origins.add(cutoff);
    }
    FeatureLayout layout = FeatureBuilder.fitLayout(tables, planWeek);
    Trainer trainer = new Trainer(spark, tables, planWeek, settings, layout, origins.first());
    Dataset<Row> samples =
        trainer.encodedSamples(new ArrayList<>(origins)).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<TargetModel> models = new ArrayList<>();
      if (samples.count() == 0) {
        throw new IllegalArgumentException(
            "Cannot train models: %s/weekly has no rows in the %d training weeks before the plan week %s (choose a later plan week or more training weeks)"
                .formatted(tables.root(), settings.trainingWeeks(), planWeek));
      }
      models.add(trainer.demand(samples, cutoff));
      models.add(trainer.returnRate(samples));
      models.add(trainer.returnWeeks(samples));
      models.add(trainer.fulfillment(samples));
      models.add(trainer.residual());
      ModelSet set = ModelSet.of(layout, models);
      set.save(modelDir, spark.sparkContext().hadoopConfiguration());
      return set;
    } finally {
      samples.unpersist();
    }
  }

  /** Training samples with their features, return aggregates, partitioned for the workers. */
  private Dataset<Row> encodedSamples(List<LocalDate> origins) {
    Dataset<Row> samples =
        FeatureBuilder.trainingSamples(tables, planWeek, origins, settings.horizon());
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
      samples =
          samples
              .join(
                  returns,
                  scalaSeq(Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK),
                  "left")
              .withColumn(RETURNED, coalesce(col(RETURNED), lit(0.0)))
              .withColumn(RETURN_WEEKS_SUM, coalesce(col(RETURN_WEEKS_SUM), lit(0.0)));
    } else {
      samples =
          samples.withColumn(RETURNED, lit(0.0)).withColumn(RETURN_WEEKS_SUM, lit(0.0));
    }
    return FeatureBuilder.withFeatures(samples, layout)
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

  private TargetModel demand(Dataset<Row> samples, LocalDate cutoff) {
    Column uncensored = not(col(FeatureBuilder.CENSORED));
    Dataset<Row> rows =
        samples
            .filter(uncensored)
            .withColumn(LABEL, col(Columns.UNITS_SOLD))
            .withColumn(WEIGHT, lit(1.0));
    List<String> notes = new ArrayList<>();
    notes.add(
        "censored target weeks (units_sold >= stock_on_hand) are excluded from the demand target;"
            + " the recent levels skip censored weeks");
    notes.add(
        ("demand = level trees x (1 + base level) x exp(E * ref + slope(category) * (discount -"
                + " ref)): ref = %s, the discount the base level was measured at; E = %.4f the"
                + " reference elasticity the recent levels were de-discounted with. The level trees"
                + " read every feature but the week's discount and price; the slopes (the"
                + " semi-elasticity per category, >= 0, so demand is non-decreasing in the discount"
                + " for every row, and extrapolates exp-linearly to deep discounts) are Poisson"
                + " maximum-likelihood fits on the training rows with the level trees as offset,"
                + " shrunk towards the pooled slope by empirical Bayes (metrics response_*); level"
                + " trees and slopes are fitted in %d alternating passes, the first from slope E")
            .formatted(FeatureLayout.BASE_DISCOUNT, layout.spec().referenceElasticity(),
                RESPONSE_PASSES));
    notes.add(
        ("base margin: the trees are fitted on top of log(1 + %s) (0 without history), so they"
                + " learn the ratio of demand to the recent regular level")
            .formatted(FeatureLayout.BASE_LEVEL));
    notes.add(
        ("season term: demand also gains a factor %s ^ b where that ratio is known (how the same"
                + " articles' regular sales moved from the base level's weeks to the target week a"
                + " year earlier); b >= 0 is a Poisson maximum-likelihood fit with the rest as"
                + " offset, first on the base level alone, then after each pass of trees (metric"
                + " season_exponent)")
            .formatted(FeatureLayout.SEASON_RATIO));
    notes.add(
        ("level blend: demand also gains a factor %s ^ w(category) where that ratio is known, so"
                + " the base level becomes base^(1 - w) x smoothed^w (the smoothed level weighs the"
                + " plain weeks of the last year by %s^weeks back); w in [0, 1] is a Poisson"
                + " maximum-likelihood fit per category with the rest as offset, at the same points"
                + " as the season exponent (metrics level_weight_*)")
            .formatted(FeatureLayout.SMOOTH_RATIO, FeatureLayout.SMOOTH_DECAY));
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("reference_elasticity", layout.spec().referenceElasticity());
    Stats stats = stats(rows, true);
    if (stats.rows() < settings.minTrainingRows() || !(stats.weight() > 0)) {
      return fit(
          Target.DEMAND, rows, layout.width(), "count:poisson", layout.monotoneIncreasing(), notes,
          metrics, 0.0, true, null, null);
    }
    int levelRounds = settings.numRounds();
    Map<String, String> hyper = new LinkedHashMap<>();
    hyper.putAll(baseMargin());
    Staged early = settings.validationWeeks() > 0 ? holdout(rows, cutoff, metrics, notes) : null;
    if (early != null) {
      levelRounds = early.levelBest() + 1;
      hyper.put("early_stopping_rounds", Integer.toString(earlyStoppingRounds()));
      hyper.put("best_iteration", Integer.toString(early.levelBest()));
    } else if (settings.validationWeeks() == 0) {
      notes.add("no holdout and no early stopping: validation weeks = 0");
    }
    hyper.put("num_rounds_trained", Integer.toString(levelRounds));
    Staged last = staged(rows, null, levelRounds, metrics);
    hyper.putAll(last.response().hyperparameters());
    hyper.putAll(last.season().hyperparameters());
    hyper.putAll(last.blend().hyperparameters());
    double[] slopes = last.response().slopes();
    double[] weights = last.blend().weights();
    metrics.put("response_pooled_slope", last.response().pooledSlope());
    metrics.put("level_pooled_weight", last.blend().pooledWeight());
    List<String> categories = layout.spec().category().values();
    for (int g = 0; g < slopes.length && g < categories.size(); g++) {
      metrics.put("response_slope_" + categories.get(g), slopes[g]);
    }
    for (int g = 0; g < weights.length && g < categories.size(); g++) {
      metrics.put("level_weight_" + categories.get(g), weights[g]);
    }
    return TargetModel.xgboost(
        Target.DEMAND,
        last.bytes(),
        layout.width(),
        provenance(Target.DEMAND, "xgboost", "count:poisson", stats, metrics, notes, hyper));
  }

  /** Alternating passes of level trees and slopes. */
  static final int RESPONSE_PASSES = 2;

  private static final String STAGE_FEATURES = "_stage_features";
  private static final String MARGIN = "_margin";

  /**
   * A demand booster (level trees on a base margin), its discount response, season term and level
   * blend, and the best iteration of its trees (the last one without early stopping).
   */
  record Staged(
      byte[] bytes, int levelBest, DiscountResponse response, SeasonTerm season, LevelTerm blend) {}

  /**
   * Trains the level trees on {@code train} ({@code rounds}, or at most that many with early
   * stopping on {@code eval} when it is not null) and the discount response, in {@link
   * #RESPONSE_PASSES} alternating passes.
   */
  private Staged staged(
      Dataset<Row> train, Dataset<Row> eval, int levelRounds, Map<String, Double> fitMetrics) {
    // The trees read neither the week's discount and price nor the base level's discount: the
    // response term alone answers for them.
    int[] discount =
        IntStream.concat(
                layout.discountFeatures().stream().mapToInt(n -> layout.names().indexOf(n)),
                IntStream.of(layout.baseDiscountIndex()))
            .toArray();
    int[] levelFeatures = new int[layout.width() - discount.length];
    int k = 0;
    for (int i = 0; i < layout.width(); i++) {
      int index = i;
      if (Arrays.stream(discount).noneMatch(d -> d == index)) {
        levelFeatures[k++] = i;
      }
    }
    double e = layout.spec().referenceElasticity();
    double[] start = new double[layout.spec().category().values().size()];
    Arrays.fill(start, e);
    DiscountResponse response =
        new DiscountResponse(
            layout.discountIndex(), layout.baseDiscountIndex(), e, layout.categoryIndex(), start,
            e);
    long targets = train.select(Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK).distinct().count();
    double overlap = Math.max(1, train.count() / (double) Math.max(1, targets));
    // The season exponent starts from a fit on the base level and the response alone, so the
    // first trees already see last year's turn in their margin.
    int seasonFeature = layout.names().indexOf(FeatureLayout.SEASON_RATIO);
    SeasonTerm season = new SeasonTerm(seasonFeature, 0);
    LevelTerm blend =
        new LevelTerm(
            layout.names().indexOf(FeatureLayout.SMOOTH_RATIO), layout.categoryIndex(),
            new double[layout.spec().category().values().size()], 0);
    Dataset<Row> points = fitPoints(train, null, response, season, blend);
    try {
      season = fitSeason(points, response, blend, season);
      blend = fitBlend(points, response, season, blend);
    } finally {
      points.unpersist();
    }
    Boosted level = null;
    for (int pass = 0; pass < RESPONSE_PASSES; pass++) {
      Column margin =
          logBaseLevel()
              .plus(responseMargin(response))
              .plus(seasonMargin(season))
              .plus(blendMargin(blend));
      level =
          boost(
              stage(train, levelFeatures).withColumn(MARGIN, margin),
              eval == null ? null : stage(eval, levelFeatures).withColumn(MARGIN, margin),
              levelRounds,
              "count:poisson",
              null,
              STAGE_FEATURES,
              // Trained on base margins, predicted without them (the model multiplies by 1 + base
              // level): the booster's own intercept must be 0 on the margin scale, not the label
              // mean XGBoost would estimate (it would scale every prediction by that mean).
              1.0);
      // The booster scores the training rows once a pass; all three fits read that one table.
      points = fitPoints(train, level.bytes(), response, season, blend);
      try {
        response = fitResponse(points, response, season, blend, overlap, fitMetrics);
        season = fitSeason(points, response, blend, season);
        blend = fitBlend(points, response, season, blend);
      } finally {
        points.unpersist();
      }
    }
    fitMetrics.put("season_exponent", season.exponent());
    return new Staged(level.bytes(), level.bestIteration(), response, season, blend);
  }

  /** The log factor of {@code season} over the rows' features, as a column. */
  private static Column seasonMargin(SeasonTerm season) {
    String ratio = featureSql(season.feature());
    return expr("IF(%s, %s * ln(%s), 0D)"
        .formatted(knownRatioSql(ratio), season.exponent(), ratio));
  }

  /** The log factor of {@code blend} over the rows' features, as a column. */
  private static Column blendMargin(LevelTerm blend) {
    String ratio = featureSql(blend.feature());
    return expr("IF(%s, %s * ln(%s), 0D)"
        .formatted(knownRatioSql(ratio),
            caseSql(featureSql(blend.groupFeature()), blend.weights(), blend.pooledWeight()),
            ratio));
  }

  /**
   * Whether a ratio feature {@code ratio} (SQL) is known, as {@link SeasonTerm#logRatio} and
   * {@link LevelTerm#logRatio} read it.
   */
  private static String knownRatioSql(String ratio) {
    return "NOT isnan(%s) AND %s > 0 AND %s < double('Infinity')".formatted(ratio, ratio, ratio);
  }

  /**
   * The points the response, season and blend fits read, persisted (the caller unpersists): for
   * every training row its response group {@code g} (-1 when unknown), discount change {@code x}
   * from its reference discount {@code ref} (0 when unknown), log season ratio {@code lr} (null
   * when unknown), the level blend's group {@code c} (-1 when unknown) and log ratio {@code lb}
   * (null when unknown), the booster's margin {@code m} (the log base level alone when {@code
   * booster} is null), label {@code y} and weight {@code w}. Scoring the rows with the booster is
   * the costly step, so it is done once per pass.
   */
  private Dataset<Row> fitPoints(
      Dataset<Row> rows, byte[] booster, DiscountResponse response, SeasonTerm season,
      LevelTerm blend) {
    String ratio = featureSql(season.feature());
    String smooth = featureSql(blend.feature());
    String group = featureSql(blend.groupFeature());
    String ref = referenceSql(response);
    String code = featureSql(response.groupFeature());
    Dataset<Row> scored =
        booster == null ? rows.withColumn(MARGIN, logBaseLevel()) : withMargin(rows, booster);
    return scored
        .select(
            expr("IF(isnan(%s), -1, CAST(%s AS INT))".formatted(code, code)).as("g"),
            expr("%s - %s".formatted(featureSql(response.discountFeature()), ref)).as("x"),
            expr(ref).as("ref"),
            expr("IF(%s, ln(%s), NULL)".formatted(knownRatioSql(ratio), ratio)).as("lr"),
            expr("IF(isnan(%s), -1, CAST(%s AS INT))".formatted(group, group)).as("c"),
            expr("IF(%s, ln(%s), NULL)".formatted(knownRatioSql(smooth), smooth)).as("lb"),
            col(MARGIN).as("m"),
            col(LABEL).as("y"),
            col(WEIGHT).as("w"))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * The season exponent fitted on the {@link #fitPoints} whose season ratio is known, by Poisson
   * maximum likelihood (Newton's method from {@code start}) with the booster's margin, {@code
   * response} and {@code blend} as offset; clamped to [0, 10].
   */
  private static SeasonTerm fitSeason(
      Dataset<Row> points, DiscountResponse response, LevelTerm blend, SeasonTerm start) {
    Dataset<Row> known =
        points
            .filter(col("lr").isNotNull())
            .select(
                lit(0).as("g"),
                col("lr").as("x"),
                col("m")
                    .plus(pointsResponse(response))
                    .plus(pointsBlend(blend))
                    .as("o"),
                col("y"),
                col("w"));
    double exponent = newtonByGroup(known, 1, start.exponent())[0][0];
    return new SeasonTerm(start.feature(), exponent);
  }

  /**
   * The level blend fitted on the {@link #fitPoints} whose smoothed ratio is known, by Poisson
   * maximum likelihood (Newton's method) with the booster's margin, {@code response} and {@code
   * season} as offset: the pooled weight, then each group's weight from it; clamped to [0, 1].
   */
  private static LevelTerm fitBlend(
      Dataset<Row> points, DiscountResponse response, SeasonTerm season, LevelTerm start) {
    Dataset<Row> known =
        points
            .filter(col("lb").isNotNull())
            .select(
                col("c").as("g"),
                col("lb").as("x"),
                col("m")
                    .plus(pointsResponse(response))
                    .plus(pointsSeason(season))
                    .as("o"),
                col("y"),
                col("w"))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      double pooled =
          Math.min(1, newtonByGroup(known.withColumn("g", lit(0)), 1, start.pooledWeight())[0][0]);
      double[] weights = newtonByGroup(known, start.weights().length, pooled)[0];
      for (int g = 0; g < weights.length; g++) {
        weights[g] = Math.min(1, weights[g]);
      }
      return new LevelTerm(start.feature(), start.groupFeature(), weights, pooled);
    } finally {
      known.unpersist();
    }
  }

  /** The log factor of {@code response} at the {@link #fitPoints}, as a column. */
  private static Column pointsResponse(DiscountResponse response) {
    return expr("%s * ref + %s * x".formatted(
        response.referenceElasticity(), caseSql("g", response.slopes(), response.pooledSlope())));
  }

  /** The log factor of {@code season} at the {@link #fitPoints}, as a column. */
  private static Column pointsSeason(SeasonTerm season) {
    return expr("coalesce(%s * lr, 0D)".formatted(season.exponent()));
  }

  /** The log factor of {@code blend} at the {@link #fitPoints}, as a column. */
  private static Column pointsBlend(LevelTerm blend) {
    return expr("coalesce(%s * lb, 0D)"
        .formatted(caseSql("c", blend.weights(), blend.pooledWeight())));
  }

  /** The log factor of {@code response} over the rows' features, as a column. */
  private static Column responseMargin(DiscountResponse response) {
    String ref = referenceSql(response);
    return expr("%s * %s + %s * (%s - %s)"
        .formatted(response.referenceElasticity(), ref, slopeExpression(response),
            featureSql(response.discountFeature()), ref));
  }

  /** Feature {@code index} of the rows' feature vectors, as SQL. */
  private static String featureSql(int index) {
    return "CAST(element_at(%s, %d) AS DOUBLE)".formatted(FeatureBuilder.FEATURES, index + 1);
  }

  /** The reference discount of {@code response} (0 when unknown), as SQL. */
  private static String referenceSql(DiscountResponse response) {
    return referenceSql(response.referenceFeature());
  }

  /** Feature {@code index} (0 when unknown), as SQL. */
  private static String referenceSql(int index) {
    String ref = featureSql(index);
    return "IF(isnan(%s), 0D, %s)".formatted(ref, ref);
  }

  /** The slope of each row's group, as SQL. */
  private static String slopeExpression(DiscountResponse response) {
    return caseSql(featureSql(response.groupFeature()), response.slopes(), response.pooledSlope());
  }

  /** {@code values[column]} for a group code {@code column} in [0, values.length), else {@code otherwise}. */
  private static String caseSql(String column, double[] values, double otherwise) {
    StringBuilder sql = new StringBuilder("CASE");
    for (int g = 0; g < values.length; g++) {
      sql.append(" WHEN %s = %d THEN %s".formatted(column, g, values[g]));
    }
    return sql.append(" ELSE %s END".formatted(otherwise)).toString();
  }

  /**
   * The discount response fitted on the {@link #fitPoints} with the booster's margin, {@code
   * season} and {@code blend} as offset: the pooled slope and each group's slope by Poisson
   * maximum likelihood (Newton's method), then each group's slope shrunk towards the pooled one
   * by empirical Bayes: its variance is the Poisson one inflated by the Pearson dispersion and by
   * the rows per distinct target week (origins overlap, so a week is a sample of several
   * origins), the prior variance of the slopes is their spread around the pooled slope minus the
   * mean of those variances (method of moments), and each slope moves to its posterior mean.
   * Slopes are clamped to [0, 10].
   */
  private static DiscountResponse fitResponse(
      Dataset<Row> fitPoints, DiscountResponse start, SeasonTerm season, LevelTerm blend,
      double overlap, Map<String, Double> metrics) {
    Dataset<Row> points =
        fitPoints.select(
            col("g"),
            col("x"),
            col("m")
                .plus(expr("%s * ref".formatted(start.referenceElasticity())))
                .plus(pointsSeason(season))
                .plus(pointsBlend(blend))
                .as("o"),
            col("y"),
            col("w"));
    // the pooled slope: every point in one group
    double pooled =
        newtonByGroup(points.withColumn("g", lit(0)), 1, start.pooledSlope())[0][0];
    Row fit =
        points
            .agg(
                sum(expr("w * (y - exp(o + %s * x)) * (y - exp(o + %s * x)) / exp(o + %s * x)"
                    .formatted(pooled, pooled, pooled))),
                sum(col("w")))
            .first();
    double dispersion = Math.max(1, fit.getDouble(0) / Math.max(1, fit.getDouble(1)));
    double inflation = dispersion * overlap;
    double[][] byGroup = newtonByGroup(points, start.slopes().length, pooled);
    double[] slopes = byGroup[0];
    double[] variances = new double[slopes.length];
    double spread = 0;
    double noise = 0;
    int groups = 0;
    for (int g = 0; g < slopes.length; g++) {
      variances[g] = byGroup[1][g] > 0 ? inflation / byGroup[1][g] : Double.POSITIVE_INFINITY;
      if (Double.isFinite(variances[g])) {
        spread += (slopes[g] - pooled) * (slopes[g] - pooled);
        noise += variances[g];
        groups++;
      }
    }
    double prior = groups == 0 ? 0 : Math.max(0, (spread - noise) / groups);
    for (int g = 0; g < slopes.length; g++) {
      double keep = Double.isFinite(variances[g]) ? prior / (prior + variances[g]) : 0;
      slopes[g] = Math.max(0, Math.min(10, pooled + keep * (slopes[g] - pooled)));
    }
    metrics.put("response_dispersion", dispersion);
    metrics.put("response_rows_per_target", overlap);
    metrics.put("response_prior_sd", Math.sqrt(prior));
    return new DiscountResponse(
        start.discountFeature(), start.referenceFeature(), start.referenceElasticity(),
        start.groupFeature(), slopes, pooled);
  }

  /**
   * Newton's method for the slope {@code s} of {@code log mu = o + s * x} of each group {@code g}
   * in [0, groups) of the points, Poisson maximum likelihood, all groups in one aggregation per
   * iteration, each starting at {@code start} and stopping on its own: the slopes (clamped to [0,
   * 10]) and their Fisher information (0 for a group without information).
   */
  private static double[][] newtonByGroup(Dataset<Row> points, int groups, double start) {
    double[] s = new double[groups];
    Arrays.fill(s, start);
    double[] information = new double[groups];
    boolean[] done = new boolean[groups];
    for (int it = 0; it < NEWTON_ITERATIONS; it++) {
      Column mu = expr("exp(o + %s * x)".formatted(caseSql("g", s, 0)));
      Map<Integer, double[]> sums = new java.util.HashMap<>();
      for (Row r :
          points
              .filter(col("g").geq(0))
              .groupBy(col("g"))
              .agg(
                  sum(col("w").multiply(col("x")).multiply(col("y").minus(mu))),
                  sum(col("w").multiply(col("x")).multiply(col("x")).multiply(mu)))
              .collectAsList()) {
        sums.put(r.getInt(0), new double[] {
            r.isNullAt(1) ? 0 : r.getDouble(1), r.isNullAt(2) ? 0 : r.getDouble(2)});
      }
      boolean open = false;
      for (int g = 0; g < groups; g++) {
        if (done[g]) {
          continue;
        }
        double[] gs = sums.getOrDefault(g, new double[2]);
        information[g] = gs[1];
        if (!(gs[1] > 1e-9)) {
          information[g] = 0;
          done[g] = true;
          continue;
        }
        double next = newtonStep(s[g], gs[0], gs[1]);
        done[g] = Math.abs(next - s[g]) < 1e-4;
        s[g] = next;
        open |= !done[g];
      }
      if (!open) {
        break;
      }
    }
    return new double[][] {s, information};
  }

  private static final int NEWTON_ITERATIONS = 12;

  /** One damped Newton step (at most 1), clamped to [0, 10]. */
  private static double newtonStep(double s, double gradient, double information) {
    double step = Math.max(-1, Math.min(1, gradient / information));
    return Math.max(0, Math.min(10, s + step));
  }

  /** The demand booster's base margin: the log base level of {@link FeatureLayout#BASE_LEVEL}. */
  private Map<String, String> baseMargin() {
    return Map.of(TargetModel.BASE_MARGIN_FEATURE, Integer.toString(layout.baseLevelIndex()));
  }

  /** The log base level of the rows' features (see {@link FeatureLayout#logBaseLevel}). */
  private Column logBaseLevel() {
    String base = featureSql(layout.baseLevelIndex());
    return expr("IF(isnan(%s) OR %s < 0, 0D, ln(1D + %s))".formatted(base, base, base));
  }

  /**
   * Base margins of a booster: the column, the booster's own intercept on the label scale (0 on
   * the margin scale), what the model must remember to apply them at prediction time, and a note.
   */
  record Margin(Column column, double baseScore, Map<String, String> hyperparameters, String note) {}

  /**
   * The return rate's base margin, a {@link ReturnResponse}: {@code logit(prior) + intercept +
   * slope · (discount − ref)}, the prior the article's return ratio shrunk to its category's
   * ({@link FeatureLayout#RETURN_RATIO}; the training rows' mean return ratio when unknown) and
   * ref the discount it was measured at. Intercept and slope are a logistic maximum-likelihood
   * fit with the prior as offset (Newton's method) on the sale weeks before the validation weeks
   * whose prior is known: the slope is how the odds of a return move with the discount.
   */
  private Margin returnMargin(Dataset<Row> rows, Map<String, Double> metrics) {
    int prior = layout.returnRatioIndex();
    int reference = layout.returnDiscountIndex();
    Dataset<Row> train = rows.filter(col(Columns.WEEK).lt(lit(matureValidationFrom())));
    Row mean = train.agg(sum(col(LABEL).multiply(col(WEIGHT))), sum(col(WEIGHT))).first();
    double defaultPrior =
        mean.isNullAt(1) || !(mean.getDouble(1) > 0)
            ? 0.5
            : Math.max(0.001, Math.min(0.999, mean.getDouble(0) / mean.getDouble(1)));
    ReturnResponse start =
        new ReturnResponse(prior, layout.discountIndex(), reference, defaultPrior, 0, 0);
    // The slope is estimated where the prior is known: the training mean stands in for an
    // unknown prior at no particular discount.
    Dataset<Row> known = train.filter(expr("NOT isnan(%s)".formatted(featureSql(prior))));
    Dataset<Row> points =
        (known.isEmpty() ? train : known)
            .select(
                returnMargin(start).as("o"),
                expr("%s - %s".formatted(featureSql(layout.discountIndex()), referenceSql(reference)))
                    .as("x"),
                col(LABEL).as("y"),
                col(WEIGHT).as("w"))
            .persist(StorageLevel.MEMORY_AND_DISK());
    double[] fit;
    try {
      fit = logisticNewton(points);
    } finally {
      points.unpersist();
    }
    ReturnResponse response =
        new ReturnResponse(prior, layout.discountIndex(), reference, defaultPrior, fit[0], fit[1]);
    metrics.put("return_response_default_prior", defaultPrior);
    metrics.put("return_response_intercept", fit[0]);
    metrics.put("return_response_slope", fit[1]);
    return new Margin(
        returnMargin(response),
        0.5,
        response.hyperparameters(),
        ("base margin: logit(%s) + %.4f + %.4f * (discount - %s): the prior is the article's own"
                + " return ratio shrunk to its category's (%.4f, the training mean, when unknown),"
                + " measured at %s; intercept and discount slope are a logistic fit with the prior"
                + " as offset on the weeks before the validation weeks with a known prior; the"
                + " trees learn how a week departs from it")
            .formatted(FeatureLayout.RETURN_RATIO, fit[0], fit[1], FeatureLayout.RETURN_DISCOUNT,
                defaultPrior, FeatureLayout.RETURN_DISCOUNT));
  }

  /** {@link ReturnResponse#margin} of the rows' features, as a column. */
  private static Column returnMargin(ReturnResponse response) {
    String p = featureSql(response.priorFeature());
    String q = "greatest(0.001D, least(0.999D, IF(isnan(%s), %sD, %s)))"
        .formatted(p, response.defaultPrior(), p);
    return expr("ln(%s / (1D - %s)) + %s + %s * (%s - %s)"
        .formatted(q, q, response.intercept(), response.slope(),
            featureSql(response.discountFeature()), referenceSql(response.referenceFeature())));
  }

  /**
   * Newton's method for {@code (a, b)} of {@code logit p = o + a + b * x}, logistic maximum
   * likelihood over the points (labels y in [0, 1], weights w), from (0, 0); steps damped to 1,
   * the result clamped to [-10, 10].
   */
  private static double[] logisticNewton(Dataset<Row> points) {
    double a = 0;
    double b = 0;
    for (int it = 0; it < NEWTON_ITERATIONS; it++) {
      Column p = expr("1D / (1D + exp(-(o + %s + %s * x)))".formatted(a, b));
      Column v = col("w").multiply(p).multiply(lit(1.0).minus(p));
      Column r = col("w").multiply(col("y").minus(p));
      Row sums =
          points
              .agg(
                  sum(r),
                  sum(r.multiply(col("x"))),
                  sum(v),
                  sum(v.multiply(col("x"))),
                  sum(v.multiply(col("x")).multiply(col("x"))))
              .first();
      if (sums.isNullAt(0)) {
        break;
      }
      double ga = sums.getDouble(0);
      double gb = sums.getDouble(1);
      double haa = sums.getDouble(2);
      double hab = sums.getDouble(3);
      double hbb = sums.getDouble(4);
      double det = haa * hbb - hab * hab;
      double da;
      double db;
      if (det > 1e-12 * Math.max(1, haa * hbb)) {
        da = (hbb * ga - hab * gb) / det;
        db = (haa * gb - hab * ga) / det;
      } else if (haa > 1e-12) {
        da = ga / haa;
        db = 0;
      } else {
        break;
      }
      da = Math.max(-1, Math.min(1, da));
      db = Math.max(-1, Math.min(1, db));
      a = Math.max(-10, Math.min(10, a + da));
      b = Math.max(-10, Math.min(10, b + db));
      if (Math.abs(da) < 1e-5 && Math.abs(db) < 1e-5) {
        break;
      }
    }
    return new double[] {a, b};
  }

  /** {@code rows} with {@code _stage_features}: the features, {@code NaN} outside {@code keep}. */
  private static Dataset<Row> stage(Dataset<Row> rows, int[] keep) {
    String set =
        Arrays.stream(keep).mapToObj(Integer::toString).collect(Collectors.joining(","));
    return rows.withColumn(
        STAGE_FEATURES,
        expr(
            "transform(%s, (v, i) -> IF(i IN (%s), v, CAST('NaN' AS FLOAT)))"
                .formatted(FeatureBuilder.FEATURES, set)));
  }

  /**
   * {@code rows} with {@code _margin}: the log prediction of {@code booster} on its features plus
   * the log base level (the booster was trained on top of it).
   */
  private Dataset<Row> withMargin(Dataset<Row> rows, byte[] booster) {
    StructType schema = rows.schema().add(MARGIN, DataTypes.DoubleType, false);
    int width = layout.width();
    int batch = Math.max(1, Math.min(settings.batchRows(), 16_384));
    int featuresIndex = rows.schema().fieldIndex(FeatureBuilder.FEATURES);
    FeatureLayout layout = this.layout;
    MapPartitionsFunction<Row, Row> score =
        it -> {
          ml.dmlc.xgboost4j.java.Booster b = ml.dmlc.xgboost4j.java.XGBoost.loadModel(booster);
          b.setParam("nthread", 1);
          List<Row> out = new ArrayList<>();
          List<Row> pending = new ArrayList<>(batch);
          float[] x = new float[batch * width];
          while (it.hasNext() || !pending.isEmpty()) {
            if (it.hasNext() && pending.size() < batch) {
              Row r = it.next();
              System.arraycopy(featureArray(r.get(featuresIndex)), 0, x, pending.size() * width, width);
              pending.add(r);
              continue;
            }
            int n = pending.size();
            float[] data = n == batch ? x : Arrays.copyOf(x, n * width);
            float[][] p = b.inplace_predict(data, n, width, Float.NaN);
            for (int i = 0; i < n; i++) {
              Row r = pending.get(i);
              Object[] values = new Object[r.size() + 1];
              for (int j = 0; j < r.size(); j++) {
                values[j] = r.get(j);
              }
              values[r.size()] =
                  Math.log(Math.max(p[i][0], 1e-12)) + layout.logBaseLevel(data, i * width);
              out.add(RowFactory.create(values));
            }
            pending.clear();
          }
          b.dispose();
          return out.iterator();
        };
    return rows.mapPartitions(score, Encoders.row(schema));
  }

  /** Patience of early stopping: a tenth of the maximum rounds, at least 10. */
  private int earlyStoppingRounds() {
    return Math.max(10, settings.numRounds() / 10);
  }

  /**
   * Trains both demand stages on target weeks before {@code cutoff} with early stopping on the
   * samples at origin {@code cutoff} (the last validation weeks, uncensored: a time-ordered
   * split), and records the best iterations, the holdout WAPE and bias of that model, and those
   * of two naive forecasts: the training mean and the origin's 4-week sales level.
   *
   * @return the early-stopped model, or null when there is no holdout to stop on
   */
  private Staged holdout(
      Dataset<Row> rows, LocalDate cutoff, Map<String, Double> metrics, List<String> notes) {
    Dataset<Row> before = rows.filter(col(Columns.WEEK).lt(lit(cutoff)));
    Dataset<Row> after = rows.filter(col(FeatureBuilder.ORIGIN).equalTo(lit(cutoff)));
    Stats stats = stats(before, true);
    if (stats.rows() < settings.minTrainingRows()) {
      notes.add(
          "no holdout and no early stopping: %d training rows before %s (fewer than %d)"
              .formatted(stats.rows(), cutoff, settings.minTrainingRows()));
      return null;
    }
    long validationRows = after.count();
    if (validationRows == 0) {
      notes.add(
          "no holdout and no early stopping: no uncensored sales at origin %s".formatted(cutoff));
      return null;
    }
    Staged boosted = staged(before, after, settings.numRounds(), new LinkedHashMap<>());
    Map<String, String> hyper = new LinkedHashMap<>(baseMargin());
    hyper.putAll(boosted.response().hyperparameters());
    hyper.putAll(boosted.season().hyperparameters());
    hyper.putAll(boosted.blend().hyperparameters());
    TargetModel model =
        TargetModel.xgboost(
            Target.DEMAND,
            boosted.bytes(),
            layout.width(),
            provenance(
                Target.DEMAND, "xgboost", "count:poisson", stats, Map.of(), List.of(), hyper));
    double mean = stats.weightedMean();
    int width = layout.width();
    int batch = settings.batchRows();
    MapPartitionsFunction<Row, Row> score =
        it -> {
          double[] sums = new double[6];
          float[] x = new float[batch * width];
          double[] y = new double[batch];
          double[] level = new double[batch];
          double[] p = new double[batch];
          int n = 0;
          while (true) {
            boolean more = it.hasNext();
            if (more) {
              Row r = it.next();
              float[] f = featureArray(r.get(0));
              System.arraycopy(f, 0, x, n * width, width);
              y[n] = r.getDouble(1);
              level[n] = r.isNullAt(2) ? mean : r.getDouble(2);
              n++;
            }
            if (n == batch || (!more && n > 0)) {
              model.predict(x, n, width, p);
              for (int i = 0; i < n; i++) {
                sums[0] += Math.abs(p[i] - y[i]);
                sums[1] += p[i] - y[i];
                sums[2] += y[i];
                sums[3] += Math.abs(mean - y[i]);
                sums[4] += Math.abs(level[i] - y[i]);
                sums[5] += 1;
              }
              n = 0;
            }
            if (!more) {
              break;
            }
          }
          model.close();
          return List.of(RowFactory.create(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]))
              .iterator();
        };
    StructType sumsSchema =
        new StructType()
            .add("abs", DataTypes.DoubleType)
            .add("err", DataTypes.DoubleType)
            .add("actual", DataTypes.DoubleType)
            .add("naive_abs", DataTypes.DoubleType)
            .add("level_abs", DataTypes.DoubleType)
            .add("n", DataTypes.DoubleType);
    Row total =
        after
            .select(col(FeatureBuilder.FEATURES), col(LABEL), col(FeatureBuilder.UNITS_4))
            .mapPartitions(score, Encoders.row(sumsSchema))
            .agg(
                sum("abs"), sum("err"), sum("actual"), sum("naive_abs"), sum("level_abs"),
                sum("n"))
            .first();
    metrics.put("best_iteration", (double) boosted.levelBest());
    metrics.put("early_stopping_rounds", (double) earlyStoppingRounds());
    metrics.put("validation_rows", (double) validationRows);
    notes.add(
        "early stopping: trained on target weeks before %s and validated on origin %s (the last %d weeks, a time-ordered split) with poisson-nloglik, patience %d rounds: best iteration %d of at most %d; the final model is retrained on every week with those rounds"
            .formatted(
                cutoff, cutoff, settings.validationWeeks(), earlyStoppingRounds(),
                boosted.levelBest(), settings.numRounds()));
    double rowsEvaluated = total.isNullAt(5) ? 0 : total.getDouble(5);
    double actual = total.isNullAt(2) ? 0 : total.getDouble(2);
    if (rowsEvaluated == 0 || actual <= 0) {
      notes.add("no holdout: no uncensored sales at origin %s".formatted(cutoff));
      return boosted;
    }
    metrics.put("holdout_wape", total.getDouble(0) / actual);
    metrics.put("holdout_bias", total.getDouble(1) / actual);
    metrics.put("holdout_rows", rowsEvaluated);
    metrics.put("holdout_actual_units", actual);
    metrics.put("naive_mean_wape", total.getDouble(3) / actual);
    metrics.put("naive_level4_wape", total.getDouble(4) / actual);
    notes.add(
        "holdout: the early-stopped model (trained on target weeks before %s) evaluated at origin %s on the next %d weeks (uncensored rows); its rounds were chosen on these weeks"
            .formatted(cutoff, cutoff, settings.validationWeeks()));
    return boosted;
  }

  static float[] featureArray(Object value) {
    if (value instanceof float[] f) {
      return f;
    }
    scala.collection.Seq<?> seq = (scala.collection.Seq<?>) value;
    float[] f = new float[seq.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) seq.apply(i)).floatValue();
    }
    return f;
  }

  /** First week of the validation weeks of the return targets: the last matured sale weeks. */
  private LocalDate matureValidationFrom() {
    return planWeek.minusWeeks(settings.returnMaturityWeeks() + settings.validationWeeks());
  }

  private Column matureSales() {
    return col(Columns.WEEK).lt(lit(planWeek.minusWeeks(settings.returnMaturityWeeks())));
  }

  private TargetModel returnRate(Dataset<Row> samples) {
    if (tables.returns().isEmpty()) {
      return absent(Target.RETURN_RATE, "no returns/ table: return rate is 0 (data contract)");
    }
    Dataset<Row> rows =
        samples
            .filter(col(Columns.UNITS_SOLD).gt(0).and(matureSales()))
            .withColumn(LABEL, least(col(RETURNED).divide(col(Columns.UNITS_SOLD)), lit(1.0)))
            .withColumn(WEIGHT, col(Columns.UNITS_SOLD));
    List<String> notes = new ArrayList<>();
    notes.add(
        "returned units / units sold per sale week, weighted by units sold; sale weeks within %d weeks of the plan week are left out (returns still coming back); returns at or after the plan week are not read"
            .formatted(settings.returnMaturityWeeks()));
    Map<String, Double> metrics = new LinkedHashMap<>();
    Margin margin = returnMargin(rows, metrics);
    return fit(
        Target.RETURN_RATE, rows, layout.width(), "reg:logistic", null, notes, metrics, 0.0,
        true, matureValidationFrom(), margin);
  }

  private TargetModel returnWeeks(Dataset<Row> samples) {
    if (tables.returns().isEmpty()) {
      return absent(Target.RETURN_WEEKS, "no returns/ table: nothing comes back, return time 0");
    }
    Dataset<Row> rows =
        samples
            .filter(col(RETURNED).gt(0).and(matureSales()))
            .withColumn(LABEL, col(RETURN_WEEKS_SUM).divide(col(RETURNED)))
            .withColumn(WEIGHT, col(RETURNED));
    List<String> notes = new ArrayList<>();
    notes.add(
        "unit-weighted mean of (return_week - sale_week) in weeks per sale week, weighted by returned units; sale weeks within %d weeks of the plan week are left out"
            .formatted(settings.returnMaturityWeeks()));
    return fit(
        Target.RETURN_WEEKS, rows, layout.width(), "reg:squarederror", null, notes, Map.of(),
        0.0, true, matureValidationFrom(), null);
  }

  private TargetModel fulfillment(Dataset<Row> samples) {
    Dataset<Row> rows =
        samples
            .filter(col(Columns.UNITS_SOLD).gt(0).and(col(Columns.FULFILLMENT_COST).isNotNull()))
            .withColumn(LABEL, col(Columns.FULFILLMENT_COST).divide(col(Columns.UNITS_SOLD)))
            .withColumn(WEIGHT, col(Columns.UNITS_SOLD));
    List<String> notes = new ArrayList<>();
    notes.add(
        "fulfillment_cost / units_sold per week with sales and a known cost, weighted by units sold");
    return fit(
        Target.FULFILLMENT_COST_PER_UNIT, rows, layout.width(), "reg:squarederror", null, notes,
        Map.of(), 0.0, true, planWeek.minusWeeks(settings.validationWeeks()), null);
  }

  private TargetModel residual() {
    if (tables.residuals().isEmpty()) {
      return absent(
          Target.RESIDUAL_VALUE_PER_UNIT,
          "no residuals/ table: residual value is 0 (stock left after the exit week is worth nothing)");
    }
    Dataset<Row> residuals = tables.residuals().get();
    Dataset<Row> states = FeatureBuilder.articleStates(tables, planWeek);
    Dataset<Row> joined =
        residuals
            .select(
                col(Columns.ARTICLE_ID),
                col(Columns.MARKET),
                col(Columns.RESIDUAL_VALUE).cast(DataTypes.DoubleType).as(LABEL))
            .join(states, scalaSeq(Columns.ARTICLE_ID, Columns.MARKET), "inner")
            .filter(
                col(Columns.EXIT_WEEK).isNull().or(col(Columns.EXIT_WEEK).lt(lit(planWeek))))
            .withColumn(WEIGHT, lit(1.0));
    Dataset<Row> rows =
        FeatureBuilder.withArticleFeatures(joined, layout)
            .select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(LABEL), col(WEIGHT),
                col(FeatureBuilder.FEATURES))
            .repartition(settings.numWorkers(), col(Columns.ARTICLE_ID), col(Columns.MARKET))
            .sortWithinPartitions(Columns.ARTICLE_ID, Columns.MARKET);
    List<String> notes = new ArrayList<>();
    notes.add(
        "residual_value per (article, market) of residuals/ with weekly history before the plan week and an exit week before it (or none); features: the article block (attributes, market, last black price)");
    return fit(
        Target.RESIDUAL_VALUE_PER_UNIT, rows, layout.articleWidth(), "reg:squarederror", null,
        notes, Map.of(), 0.0, false, null, null);
  }

  private TargetModel absent(Target target, String note) {
    Stats none = new Stats(0, 0, 0, "none");
    int width = target.articleLevel() ? layout.articleWidth() : layout.width();
    return TargetModel.constant(
        target, 0.0, width, provenance(target, "constant", "absent table: 0", none, Map.of(),
            List.of(note)));
  }

  /**
   * A booster for {@code rows} (columns {@code features, _label, _weight}), or a constant model
   * (the weighted mean of the labels, {@code fallback} without any) when there are fewer than
   * the minimum rows. With a {@code validationFrom} (null: none), early stopping: trained on the
   * rows of weeks before it and validated on the {@code forecast.validation-weeks} weeks from it
   * (a time-ordered split), then retrained on every row with the best number of rounds. With a
   * {@code margin} (null: none) the booster is fitted on top of its base margins.
   */
  private TargetModel fit(
      Target target,
      Dataset<Row> rows,
      int width,
      String objective,
      int[] monotone,
      List<String> notes,
      Map<String, Double> metrics,
      double fallback,
      boolean weekly,
      LocalDate validationFrom,
      Margin margin) {
    Stats stats = stats(rows, weekly);
    List<String> allNotes = new ArrayList<>(notes);
    if (stats.rows() < settings.minTrainingRows() || !(stats.weight() > 0)) {
      double value = stats.weight() > 0 ? stats.weightedMean() : fallback;
      allNotes.add(
          "constant fallback: %d training rows (fewer than %d); predicts the weighted mean of the labels (%s)"
              .formatted(stats.rows(), settings.minTrainingRows(), value));
      return TargetModel.constant(
          target,
          value,
          width,
          provenance(target, "constant", "weighted mean", stats, metrics, allNotes));
    }
    Map<String, String> hyper = new LinkedHashMap<>();
    Map<String, Double> allMetrics = new LinkedHashMap<>(metrics);
    int rounds = settings.numRounds();
    Double baseScore = null;
    if (margin != null) {
      rows = rows.withColumn(MARGIN, margin.column());
      baseScore = margin.baseScore();
      hyper.putAll(margin.hyperparameters());
      allNotes.add(margin.note());
    }
    if (validationFrom != null && settings.validationWeeks() > 0) {
      LocalDate validationTo = validationFrom.plusWeeks(settings.validationWeeks());
      Dataset<Row> train = rows.filter(col(Columns.WEEK).lt(lit(validationFrom)));
      Dataset<Row> eval =
          rows.filter(
              col(Columns.WEEK).geq(lit(validationFrom)).and(col(Columns.WEEK).lt(lit(validationTo))));
      long trainRows = train.count();
      long evalRows = eval.count();
      if (trainRows >= settings.minTrainingRows() && evalRows > 0) {
        int best =
            boost(train, eval, rounds, objective, monotone, FeatureBuilder.FEATURES, baseScore)
                .bestIteration();
        rounds = best + 1;
        hyper.put("early_stopping_rounds", Integer.toString(earlyStoppingRounds()));
        hyper.put("best_iteration", Integer.toString(best));
        allMetrics.put("best_iteration", (double) best);
        allMetrics.put("validation_rows", (double) evalRows);
        allNotes.add(
            "early stopping: trained on weeks before %s, validated on %d rows of the weeks %s to %s (a time-ordered split), patience %d rounds: best iteration %d of at most %d; the final model is retrained on every row with those rounds"
                .formatted(validationFrom, evalRows, validationFrom, validationTo.minusWeeks(1),
                    earlyStoppingRounds(), best, settings.numRounds()));
      } else {
        allNotes.add(
            "no early stopping: %d rows before %s and %d rows from it".formatted(
                trainRows, validationFrom, evalRows));
      }
    }
    hyper.put("num_rounds_trained", Integer.toString(rounds));
    byte[] bytes =
        boost(rows, null, rounds, objective, monotone, FeatureBuilder.FEATURES, baseScore).bytes();
    if (monotone != null) {
      hyper.put("monotone_constraints", monotoneString(monotone));
    }
    return TargetModel.xgboost(
        target,
        bytes,
        width,
        provenance(target, "xgboost", objective, stats, allMetrics, allNotes, hyper));
  }

  private Provenance provenance(
      Target target,
      String kind,
      String objective,
      Stats stats,
      Map<String, Double> metrics,
      List<String> notes) {
    return provenance(target, kind, objective, stats, metrics, notes, Map.of());
  }

  private Provenance provenance(
      Target target,
      String kind,
      String objective,
      Stats stats,
      Map<String, Double> metrics,
      List<String> notes,
      Map<String, String> extra) {
    Map<String, String> hyper = new LinkedHashMap<>(settings.describe());
    hyper.put("tree_method", "hist");
    hyper.put("model_code_version", Forecast.MODEL_CODE_VERSION);
    hyper.putAll(extra);
    List<String> names =
        target.articleLevel() ? layout.names().subList(0, layout.articleWidth()) : layout.names();
    return new Provenance(
        target.column(),
        kind,
        planWeek.toString(),
        firstOrigin.toString(),
        planWeek.minusWeeks(1).toString(),
        names,
        layout.spec(),
        objective,
        hyper,
        settings.seed(),
        libraries,
        stats.fingerprint(),
        stats.rows(),
        metrics,
        notes);
  }

  /**
   * Row count, label and weight sums, and a fingerprint of the keys, labels and weights that is
   * independent of row order.
   */
  record Stats(long rows, double weight, double weightedLabel, String fingerprint) {
    double weightedMean() {
      return weight > 0 ? weightedLabel / weight : 0;
    }
  }

  private static Stats stats(Dataset<Row> rows, boolean weekly) {
    List<Column> keys = new ArrayList<>();
    keys.add(col(Columns.ARTICLE_ID));
    keys.add(col(Columns.MARKET));
    if (weekly) {
      keys.add(col(FeatureBuilder.ORIGIN).cast(DataTypes.StringType));
      keys.add(col(Columns.WEEK).cast(DataTypes.StringType));
    }
    keys.add(col(LABEL));
    keys.add(col(WEIGHT));
    Row r =
        rows.agg(
                count(lit(1)),
                sum(col(WEIGHT)),
                sum(col(LABEL).multiply(col(WEIGHT))),
                sum(pmod(xxhash64(keys.toArray(new Column[0])), lit(2_147_483_647L))))
            .first();
    long n = r.getLong(0);
    double w = r.isNullAt(1) ? 0 : r.getDouble(1);
    double lw = r.isNullAt(2) ? 0 : r.getDouble(2);
    long hash = r.isNullAt(3) ? 0 : ((Number) r.get(3)).longValue();
    return new Stats(n, w, lw, "rows=%d;hash=%d".formatted(n, hash));
  }

  static String monotoneString(int[] monotone) {
    return Arrays.stream(monotone)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(",", "(", ")"));
  }

  /**
   * A trained booster's bytes (UBJSON) and its best iteration (0-based; the last one without
   * early stopping).
   */
  record Boosted(byte[] bytes, int bestIteration) {}

  /**
   * Distributed XGBoost training of {@code rounds} rounds, or at most that many with early
   * stopping on {@code eval} (poisson-nloglik for count:poisson) when it is not null. With {@code
   * baseScore} (null: none), reads the base margins of {@code _margin}, and {@code baseScore} is
   * the booster's own intercept (0 on the margin scale: 1 for count objectives, 0.5 for
   * logistic ones).
   */
  private Boosted boost(
      Dataset<Row> rows,
      Dataset<Row> eval,
      int rounds,
      String objective,
      int[] monotone,
      String features,
      Double baseScore) {
    XGBoostRegressor regressor = new XGBoostRegressor();
    regressor.setFeaturesCol(features);
    regressor.setLabelCol(LABEL);
    regressor.setWeightCol(WEIGHT);
    regressor.setNumRound(rounds);
    regressor.setMaxDepth(settings.maxDepth());
    regressor.setEta(settings.eta());
    regressor.setSeed(settings.seed());
    regressor.setNumWorkers(settings.numWorkers());
    regressor.setObjective(objective);
    regressor.setTreeMethod("hist");
    regressor.setMissing(Float.NaN);
    regressor.setVerbosity(0);
    if (monotone != null) {
      // XGBoost4J-Spark 3.1.1 passes an int array as "[I@…"; the string form reaches the booster.
      regressor.xgboost2SparkParams(
          new scala.collection.immutable.Map.Map1<String, Object>(
              "monotone_constraints", monotoneString(monotone)));
    }
    List<Column> columns = new ArrayList<>(List.of(col(features), col(LABEL), col(WEIGHT)));
    if (baseScore != null) {
      regressor.setBaseMarginCol(MARGIN);
      columns.add(col(MARGIN));
      regressor.setBaseScore(baseScore);
    }
    Column[] selected = columns.toArray(new Column[0]);
    if (eval != null) {
      regressor.setEvalDataset(eval.select(selected));
      regressor.setNumEarlyStoppingRounds(earlyStoppingRounds());
      if (objective.equals("count:poisson")) {
        regressor.setEvalMetric("poisson-nloglik");
      }
    }
    XGBoostRegressionModel model = regressor.fit(rows.select(selected));
    try {
      int best = eval == null ? rounds - 1 : bestIteration(model, rounds);
      return new Boosted(model.nativeBooster().toByteArray("ubj"), best);
    } catch (ml.dmlc.xgboost4j.java.XGBoostError e) {
      throw new IllegalStateException(
          "Cannot serialize the trained booster (%s): %s".formatted(objective, e.getMessage()), e);
    } finally {
      model.nativeBooster().dispose();
    }
  }

  /**
   * The round with the least validation loss of an early-stopped model (its {@code
   * best_iteration} attribute, else the training summary's validation history).
   */
  private static int bestIteration(XGBoostRegressionModel model, int rounds)
      throws ml.dmlc.xgboost4j.java.XGBoostError {
    String attribute = model.nativeBooster().getAttr("best_iteration");
    if (attribute != null && !attribute.isBlank()) {
      return Math.min(rounds - 1, Integer.parseInt(attribute.trim()));
    }
    if (model.summary().isDefined()
        && !model.summary().get().validationObjectiveHistory().isEmpty()) {
      float[] history = model.summary().get().validationObjectiveHistory().head()._2();
      int best = 0;
      for (int i = 1; i < history.length; i++) {
        if (history[i] < history[best]) {
          best = i;
        }
      }
      return best;
    }
    return rounds - 1;
  }

  private static Map<String, String> libraryVersions(SparkSession spark) {
    Map<String, String> v = new LinkedHashMap<>();
    Properties p = new Properties();
    try (InputStream in =
        XGBoostRegressor.class.getClassLoader().getResourceAsStream("xgboost4j-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // the version stays unknown below
    }
    v.put("xgboost4j-spark", p.getProperty("version", "unknown"));
    v.put("spark", spark.version());
    v.put("scala", scala.util.Properties.versionNumberString());
    v.put("java", System.getProperty("java.version"));
    return v;
  }

  static scala.collection.immutable.Seq<String> scalaSeq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(names)).toList();
  }
}
