package io.pricepath.forecast.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.features.FeatureBuilder;
import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.MarginTerm;
import io.pricepath.forecast.model.MarginTerms;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Fits each target's model from the training samples: its rows and label on Spark, then a
 * booster (with early stopping on a time-ordered split) or a documented constant fallback.
 */
final class TargetFit {
  private final SparkSession spark;
  private final FeatureLayout layout;
  private final ForecastSettings settings;
  private final LocalDate planWeek;
  private final Provenances provenances;
  private final boolean localTraining;
  private final int threads;
  private final BaseMargins baseMargins;
  private final ConstantModels constants;

  TargetFit(
      SparkSession spark, FeatureLayout layout, ForecastSettings settings, LocalDate planWeek,
      Provenances provenances, boolean localTraining) {
    this.spark = spark;
    this.layout = layout;
    this.settings = settings;
    this.planWeek = planWeek;
    this.provenances = provenances;
    this.localTraining = localTraining;
    this.baseMargins = new BaseMargins(layout);
    this.constants = new ConstantModels(layout, settings, provenances);
    // the driver's cores: Spark's when it runs in this JVM, else the JVM's own
    this.threads = Math.max(1, spark.sparkContext().isLocal()
        ? spark.sparkContext().defaultParallelism()
        : Runtime.getRuntime().availableProcessors());
  }

  /** The constant models this fit falls back on, and those it saves for targets not trained. */
  ConstantModels constants() {
    return constants;
  }

  /**
   * The rows of a target on the driver and their stats: where they may train here, every row in
   * one pass (their stats from the same rows); else counted and fingerprinted on Spark, and a
   * sample of them on the driver for the margin terms.
   */
  private TrainingRows.Collected collect(Dataset<Row> rows, boolean weekly, int width) {
    if (localTraining) {
      TrainingRows.Collected all = TrainingRows.collectAll(rows, width, weekly, Trainer.LOCAL_ROWS);
      if (all != null) {
        return all;
      }
    }
    Stats stats = Stats.of(rows, weekly);
    return new TrainingRows.Collected(
        TrainingRows.collect(rows, width, weekly, stats.rows(), Trainer.SAMPLE_ROWS), stats);
  }

  /**
   * The training set of collected rows: complete (the booster trains on the driver) when Spark
   * runs in this JVM and every row is here.
   */
  private TrainingSet set(Dataset<Row> rows, TrainingRows.Collected collected) {
    boolean complete = localTraining && collected.rows().size() == collected.stats().rows();
    return new TrainingSet(rows, collected.rows(), collected.stats().rows(), complete);
  }

  /** The demand target's rows of the samples: the uncensored weeks, units sold, weight 1. */
  static Dataset<Row> demandRows(Dataset<Row> samples) {
    return samples
        .filter(not(col(FeatureBuilder.CENSORED)))
        .withColumn(TrainingRows.LABEL, col(Columns.UNITS_SOLD))
        .withColumn(TrainingRows.WEIGHT, lit(1.0));
  }

  private static final String CENSORED_NOTE =
      "censored target weeks (units_sold >= stock_on_hand) are excluded from the demand target;"
          + " the recent levels skip censored weeks";

  TargetModel demand(Dataset<Row> samples, LocalDate cutoff) {
    Dataset<Row> rows = demandRows(samples);
    DemandFit demand = new DemandFit(layout, settings);
    List<String> notes = new ArrayList<>();
    notes.add(CENSORED_NOTE);
    notes.addAll(demand.notes());
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("reference_elasticity", layout.spec().referenceElasticity());
    TrainingRows.Collected collected = collect(rows, true, layout.width());
    Stats stats = collected.stats();
    if (stats.rows() < settings.minTrainingRows() || !(stats.weight() > 0)) {
      return constants.fallback(Target.DEMAND, stats, metrics, notes);
    }
    TrainingSet set = set(rows, collected);
    Boosting boosting = Boosting.of(set, settings, threads);
    Map<String, String> hyper = new LinkedHashMap<>();
    DemandFit.Staged held = settings.validationWeeks() > 0
        ? new DemandHoldout(layout, settings, provenances)
            .fit(set, boosting, demand, cutoff, stats, metrics, notes)
        : null;
    Map<String, Double> diagnostics = new LinkedHashMap<>();
    DemandFit.Staged last;
    if (held != null) {
      last = demand.onAllRows(set, boosting, held, diagnostics);
      hyper.put("early_stopping_rounds", Integer.toString(Boosting.patience(settings)));
      hyper.put("best_iteration", Integer.toString(held.bestIteration()));
    } else {
      if (settings.validationWeeks() == 0) {
        notes.add("no holdout and no early stopping: validation weeks = 0");
      }
      last = demand.staged(set, boosting, Subset.ALL, null, settings.numRounds(), diagnostics);
    }
    hyper.put("num_rounds_trained", Integer.toString(last.bestIteration() + 1));
    notes.add(trainedWhere(set));
    hyper.putAll(last.terms().hyperparameters());
    metrics.putAll(diagnostics);
    metrics.putAll(last.terms().metrics(layout.spec().category().values()));
    return TargetModel.xgboost(
        Target.DEMAND, last.bytes(), layout.width(),
        provenances.of(Target.DEMAND, "xgboost", "count:poisson", stats, metrics, notes, hyper));
  }

  /**
   * The transformer family's models: demand and, where there are returns, the return rate — two
   * outputs of one network trained on both targets' rows. With too few demand rows, a constant
   * demand and the trees' return rate; with too few return rows, the trees' return rate.
   */
  List<TargetModel> transformer(Dataset<Row> samples, LocalDate cutoff, boolean hasReturns) {
    List<String> notes = new ArrayList<>(List.of(CENSORED_NOTE));
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("reference_elasticity", layout.spec().referenceElasticity());
    TrainingRows.Collected demand = collect(demandRows(samples), true, layout.width());
    Stats stats = demand.stats();
    if (stats.rows() < settings.minTrainingRows() || !(stats.weight() > 0)) {
      return new ArrayList<>(List.of(
          constants.fallback(Target.DEMAND, stats, metrics, notes),
          returnRate(samples, hasReturns)));
    }
    if (demand.rows().size() < stats.rows()) {
      notes.add("trained on a sample of %d of the %d demand rows (the rows the driver holds)"
          .formatted(demand.rows().size(), stats.rows()));
    }
    TrainingRows.Collected returns =
        hasReturns ? collect(returnRows(samples), true, layout.width()) : null;
    if (returns != null && returns.stats().rows() < settings.minTrainingRows()) {
      notes.add("no return-rate output: %d return-rate rows (fewer than %d); the return rate is the trees'"
          .formatted(returns.stats().rows(), settings.minTrainingRows()));
      returns = null;
    }
    List<TargetModel> models = new ArrayList<>(
        new TransformerFit(layout, settings, provenances, threads)
            .fit(demand, returns, cutoff, matureValidationFrom(), metrics, notes));
    if (models.size() == 1) {
      models.add(returnRate(samples, hasReturns));
    }
    return models;
  }

  private String trainedWhere(TrainingSet set) {
    return set.complete()
        ? "trained on the driver (xgboost4j, %d threads) from the target's %d rows".formatted(threads, set.count())
        : "trained on Spark (XGBoost4J-Spark, %d workers) on %d rows; margin terms fitted on a sample of %d"
            .formatted(settings.numWorkers(), set.count(), set.rows().size());
  }

  /** First week of the validation weeks of the return targets: the last matured sale weeks. */
  private LocalDate matureValidationFrom() {
    return planWeek.minusWeeks(settings.returnMaturityWeeks() + settings.validationWeeks());
  }

  private org.apache.spark.sql.Column matureSales() {
    return col(Columns.WEEK).lt(lit(planWeek.minusWeeks(settings.returnMaturityWeeks())));
  }

  TargetModel returnRate(Dataset<Row> samples, boolean hasReturns) {
    if (!hasReturns) {
      return constants.absent(Target.RETURN_RATE, "no returns/ table: return rate is 0 (data contract)");
    }
    Dataset<Row> rows = returnRows(samples);
    List<String> notes = new ArrayList<>();
    notes.add(
        "returned units / units sold per sale week, weighted by units sold; sale weeks within %d weeks of the plan week are left out (returns still coming back); returns at or after the plan week are not read"
            .formatted(settings.returnMaturityWeeks()));
    return fit(Target.RETURN_RATE, rows, true, layout.width(), "reg:logistic", notes,
        matureValidationFrom(),
        (set, metrics, fitNotes) ->
            baseMargins.returnResponse(set, matureValidationFrom(), metrics, fitNotes));
  }

  /**
   * The return rate's rows of the samples: matured sale weeks with sales, the returned share of
   * the units sold, weighted by them.
   */
  private Dataset<Row> returnRows(Dataset<Row> samples) {
    return samples
        .filter(col(Columns.UNITS_SOLD).gt(0).and(matureSales()))
        .withColumn(
            TrainingRows.LABEL,
            least(col(Trainer.RETURNED).divide(col(Columns.UNITS_SOLD)), lit(1.0)))
        .withColumn(TrainingRows.WEIGHT, col(Columns.UNITS_SOLD));
  }

  TargetModel returnWeeks(Dataset<Row> samples, boolean hasReturns) {
    if (!hasReturns) {
      return constants.absent(Target.RETURN_WEEKS, "no returns/ table: nothing comes back, return time 0");
    }
    Dataset<Row> rows =
        samples
            .filter(col(Trainer.RETURNED).gt(0).and(matureSales()))
            .withColumn(
                TrainingRows.LABEL, col(Trainer.RETURN_WEEKS_SUM).divide(col(Trainer.RETURNED)))
            .withColumn(TrainingRows.WEIGHT, col(Trainer.RETURNED));
    List<String> notes = new ArrayList<>();
    notes.add(
        "unit-weighted mean of (return_week - sale_week) in weeks per sale week, weighted by returned units; sale weeks within %d weeks of the plan week are left out"
            .formatted(settings.returnMaturityWeeks()));
    return fit(Target.RETURN_WEEKS, rows, true, layout.width(), "reg:squarederror", notes,
        matureValidationFrom(), null);
  }

  TargetModel fulfillment(Dataset<Row> samples) {
    Dataset<Row> rows =
        samples
            .filter(col(Columns.UNITS_SOLD).gt(0).and(col(Columns.FULFILLMENT_COST).isNotNull()))
            .withColumn(
                TrainingRows.LABEL, col(Columns.FULFILLMENT_COST).divide(col(Columns.UNITS_SOLD)))
            .withColumn(TrainingRows.WEIGHT, col(Columns.UNITS_SOLD));
    List<String> notes = new ArrayList<>();
    notes.add(
        "fulfillment_cost / units_sold per week with sales and a known cost, weighted by units sold");
    LocalDate validationFrom = planWeek.minusWeeks(settings.validationWeeks());
    return fit(Target.FULFILLMENT_COST_PER_UNIT, rows, true, layout.width(), "reg:squarederror",
        notes, validationFrom,
        (set, metrics, fitNotes) ->
            baseMargins.costPrior(set, validationFrom, metrics, fitNotes));
  }

  TargetModel residual(ContractTables tables) {
    if (tables.residuals().isEmpty()) {
      return constants.absent(
          Target.RESIDUAL_VALUE_PER_UNIT,
          "no residuals/ table: residual value is 0 (stock left after the exit week is worth nothing)");
    }
    Dataset<Row> states = FeatureBuilder.articleStates(tables, planWeek);
    Dataset<Row> joined =
        tables.residuals().get()
            .select(
                col(Columns.ARTICLE_ID),
                col(Columns.MARKET),
                col(Columns.RESIDUAL_VALUE).cast(DataTypes.DoubleType).as(TrainingRows.LABEL))
            .join(states, Trainer.scalaSeq(Columns.ARTICLE_ID, Columns.MARKET), "inner")
            .filter(col(Columns.EXIT_WEEK).isNull().or(col(Columns.EXIT_WEEK).lt(lit(planWeek))))
            .withColumn(TrainingRows.WEIGHT, lit(1.0));
    Dataset<Row> rows =
        FeatureBuilder.withArticleFeatures(joined, layout)
            .select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(TrainingRows.LABEL),
                col(TrainingRows.WEIGHT), col(FeatureBuilder.FEATURES));
    List<String> notes = new ArrayList<>();
    notes.add(
        "residual_value per (article, market) of residuals/ with weekly history before the plan week and an exit week before it (or none); features: the article block (attributes, market, last black price)");
    return fit(Target.RESIDUAL_VALUE_PER_UNIT, rows, false, layout.articleWidth(),
        "reg:squarederror", notes, null, null);
  }

  /**
   * A booster for {@code rows} (columns {@code features, _label, _weight}), or a constant model
   * below the minimum rows. With a {@code validationFrom} (null: none), early stopping on the
   * {@code forecast.validation-weeks} weeks from it: the booster at its best round, trained on the
   * rows before them. With a {@code baseTerm} (null: none), the booster on top of that term.
   */
  private TargetModel fit(
      Target target, Dataset<Row> rows, boolean weekly, int width, String objective,
      List<String> notes, LocalDate validationFrom, Base baseTerm) {
    TrainingRows.Collected collected = collect(rows, weekly, width);
    Stats stats = collected.stats();
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (stats.rows() < settings.minTrainingRows() || !(stats.weight() > 0)) {
      return constants.fallback(target, stats, metrics, notes);
    }
    TrainingSet set = set(rows, collected);
    Boosting boosting = Boosting.of(set, settings, threads);
    List<String> allNotes = new ArrayList<>(notes);
    Map<String, String> hyper = new LinkedHashMap<>();
    MarginTerms base = MarginTerms.none();
    Double baseScore = null;
    if (baseTerm != null) {
      base = MarginTerms.of(List.of(baseTerm.fit(set, metrics, allNotes)));
      // the booster's own intercept at 0 on the margin scale: the term carries the level
      baseScore = objective.equals("reg:logistic") ? 0.5 : 0.0;
      hyper.putAll(base.hyperparameters());
    }
    int rounds = settings.numRounds();
    byte[] bytes = null;
    if (validationFrom != null && settings.validationWeeks() > 0) {
      LocalDate validationTo = validationFrom.plusWeeks(settings.validationWeeks());
      Subset train = Subset.weeksBefore(validationFrom);
      Subset eval = Subset.weeks(validationFrom, validationTo);
      long trainRows = set.complete() ? set.rows(train).size() : set.spark(train).count();
      long evalRows = set.complete() ? set.rows(eval).size() : set.spark(eval).count();
      if (trainRows >= settings.minTrainingRows() && evalRows > 0) {
        Boosting.Boosted stopped =
            boosting.boost(set, train, eval,
                new Boosting.Job(objective, rounds, null, new int[0], base, baseScore));
        bytes = stopped.bytes();
        int best = stopped.bestIteration();
        rounds = best + 1;
        hyper.put("early_stopping_rounds", Integer.toString(Boosting.patience(settings)));
        hyper.put("best_iteration", Integer.toString(best));
        metrics.put("best_iteration", (double) best);
        metrics.put("validation_rows", (double) evalRows);
        allNotes.add(
            "early stopping: trained on weeks before %s, validated on %d rows of the weeks %s to %s (a time-ordered split), patience %d rounds: best iteration %d of at most %d; the model is the booster at its best round (not trained again on the validation weeks: one training instead of two)"
                .formatted(validationFrom, evalRows, validationFrom, validationTo.minusWeeks(1),
                    Boosting.patience(settings), best, settings.numRounds()));
      } else {
        allNotes.add(
            "no early stopping: %d rows before %s and %d rows from it"
                .formatted(trainRows, validationFrom, evalRows));
      }
    }
    hyper.put("num_rounds_trained", Integer.toString(rounds));
    allNotes.add(trainedWhere(set));
    if (bytes == null) {
      bytes =
          boosting.boost(set, Subset.ALL, null,
              new Boosting.Job(objective, rounds, null, new int[0], base, baseScore)).bytes();
    }
    return TargetModel.xgboost(
        target, bytes, width,
        provenances.of(target, "xgboost", objective, stats, metrics, allNotes, hyper));
  }

  /** A booster's base margin: one term fitted on the target's training set. */
  private interface Base {
    MarginTerm fit(TrainingSet set, Map<String, Double> metrics, List<String> notes);
  }

}
