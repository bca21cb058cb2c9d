package io.pricepath.forecast;

import java.util.Arrays;

/**
 * Configuration of training and scoring, validated on construction.
 *
 * @param horizon weeks to forecast from the plan week (&ge; 1)
 * @param ladder allowed discounts, strictly ascending, in [0, 1)
 * @param trainingWeeks weeks of history before the plan week that training targets come from
 * @param originEvery weeks between two training origins (1 .. trainingWeeks)
 * @param validationWeeks last weeks before the plan week held out to evaluate demand (0 = no
 *     holdout; at most the horizon, less than trainingWeeks)
 * @param numRounds boosting rounds (&ge; 1); for demand with validation weeks, the most rounds of
 *     each of its two stages, early stopping on the validation weeks choosing fewer
 * @param maxDepth tree depth (1 .. 20)
 * @param eta learning rate in (0, 1]
 * @param seed random seed of training
 * @param numWorkers XGBoost workers of distributed training (&ge; 1; at most the cores)
 * @param minTrainingRows targets with fewer training rows fall back to a constant model
 * @param returnMaturityWeeks sale weeks this close to the plan week are left out of the return
 *     targets, whose returns may not have come back yet (&ge; 0)
 * @param batchRows feature rows per prediction call in the grid (&ge; 1)
 * @param boosterTraining where the boosters train: {@link BoosterTraining#AUTO} on the driver when
 *     Spark runs in the driver's JVM and a target's rows fit there, else on the executors
 * @param trackerTimeoutSeconds how long XGBoost4J-Spark's tracker waits for its workers (&ge; 1):
 *     a distributed training whose executor is lost fails after about this long instead of
 *     waiting for ever
 * @param family which family forecasts demand ({@link ModelFamily#TREES} by default)
 */
public record ForecastSettings(
    int horizon,
    double[] ladder,
    int trainingWeeks,
    int originEvery,
    int validationWeeks,
    int numRounds,
    int maxDepth,
    double eta,
    long seed,
    int numWorkers,
    int minTrainingRows,
    int returnMaturityWeeks,
    int batchRows,
    BoosterTraining boosterTraining,
    int trackerTimeoutSeconds,
    ModelFamily family) {

  /** The default of {@code trackerTimeoutSeconds}: 5 minutes. */
  public static final int TRACKER_TIMEOUT_SECONDS = 300;

  /** Where the boosters of a training are trained. */
  public enum BoosterTraining {
    /** On the driver when Spark runs in the driver's JVM (local mode) and the rows fit, else {@link #SPARK}. */
    AUTO,
    /** On the driver (xgboost4j) wherever Spark runs, when a target's rows fit there, else {@link #SPARK}. */
    DRIVER,
    /** On the executors with XGBoost4J-Spark ({@code numWorkers} workers), in local mode too. */
    SPARK;

    /** The value named in a config file ({@code auto}, {@code driver}, {@code spark}). */
    public static BoosterTraining parse(String name) {
      for (BoosterTraining t : values()) {
        if (t.name().equalsIgnoreCase(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException(
          "booster training (%s) must be auto, driver or spark".formatted(name));
    }
  }

  /** Settings whose boosters train where {@link BoosterTraining#AUTO} puts them. */
  public ForecastSettings(
      int horizon, double[] ladder, int trainingWeeks, int originEvery, int validationWeeks,
      int numRounds, int maxDepth, double eta, long seed, int numWorkers, int minTrainingRows,
      int returnMaturityWeeks, int batchRows) {
    this(horizon, ladder, trainingWeeks, originEvery, validationWeeks, numRounds, maxDepth, eta,
        seed, numWorkers, minTrainingRows, returnMaturityWeeks, batchRows, BoosterTraining.AUTO,
        TRACKER_TIMEOUT_SECONDS, ModelFamily.TREES);
  }

  /** Settings with the trees forecasting demand. */
  public ForecastSettings(
      int horizon, double[] ladder, int trainingWeeks, int originEvery, int validationWeeks,
      int numRounds, int maxDepth, double eta, long seed, int numWorkers, int minTrainingRows,
      int returnMaturityWeeks, int batchRows, BoosterTraining boosterTraining,
      int trackerTimeoutSeconds) {
    this(horizon, ladder, trainingWeeks, originEvery, validationWeeks, numRounds, maxDepth, eta,
        seed, numWorkers, minTrainingRows, returnMaturityWeeks, batchRows, boosterTraining,
        trackerTimeoutSeconds, ModelFamily.TREES);
  }

  public ForecastSettings {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon (%d) must be >= 1".formatted(horizon));
    }
    if (ladder == null || ladder.length == 0) {
      throw new IllegalArgumentException("discount ladder must have at least one level");
    }
    ladder = ladder.clone();
    for (int k = 0; k < ladder.length; k++) {
      if (!(ladder[k] >= 0 && ladder[k] < 1)) {
        throw new IllegalArgumentException(
            "discount ladder level (%s) must be in [0, 1)".formatted(ladder[k]));
      }
      if (k > 0 && !(ladder[k] > ladder[k - 1])) {
        throw new IllegalArgumentException(
            "discount ladder must be strictly ascending (%s)".formatted(Arrays.toString(ladder)));
      }
    }
    if (trainingWeeks < 1) {
      throw new IllegalArgumentException("training weeks (%d) must be >= 1".formatted(trainingWeeks));
    }
    if (originEvery < 1 || originEvery > trainingWeeks) {
      throw new IllegalArgumentException(
          "origin step (%d) must be in [1, training weeks = %d]".formatted(originEvery, trainingWeeks));
    }
    if (validationWeeks < 0 || validationWeeks > horizon || validationWeeks >= trainingWeeks) {
      throw new IllegalArgumentException(
          "validation weeks (%d) must be in [0, min(horizon = %d, training weeks - 1 = %d)]"
              .formatted(validationWeeks, horizon, trainingWeeks - 1));
    }
    if (numRounds < 1) {
      throw new IllegalArgumentException("boosting rounds (%d) must be >= 1".formatted(numRounds));
    }
    if (maxDepth < 1 || maxDepth > 20) {
      throw new IllegalArgumentException("max depth (%d) must be in [1, 20]".formatted(maxDepth));
    }
    if (!(eta > 0 && eta <= 1)) {
      throw new IllegalArgumentException("eta (%s) must be in (0, 1]".formatted(eta));
    }
    if (numWorkers < 1) {
      throw new IllegalArgumentException("XGBoost workers (%d) must be >= 1".formatted(numWorkers));
    }
    if (minTrainingRows < 1) {
      throw new IllegalArgumentException(
          "minimum training rows (%d) must be >= 1".formatted(minTrainingRows));
    }
    if (returnMaturityWeeks < 0) {
      throw new IllegalArgumentException(
          "return maturity weeks (%d) must be >= 0".formatted(returnMaturityWeeks));
    }
    if (batchRows < 1) {
      throw new IllegalArgumentException("batch rows (%d) must be >= 1".formatted(batchRows));
    }
    if (boosterTraining == null) {
      throw new IllegalArgumentException("booster training must be auto, driver or spark");
    }
    if (trackerTimeoutSeconds < 1) {
      throw new IllegalArgumentException(
          "tracker timeout (%d s) must be >= 1".formatted(trackerTimeoutSeconds));
    }
    if (family == null) {
      throw new IllegalArgumentException("model family must be trees or transformer");
    }
  }

  /**
   * Defaults: 12-week horizon, ladder 0, 0.1, …, 0.7, 52 training weeks with an origin every 4
   * weeks, 4 validation weeks, 200 rounds of depth 6 at eta 0.1, seed 42, 2 workers, constant
   * fallback below 50 rows, returns mature after 6 weeks, 65,536-row prediction batches.
   */
  public static ForecastSettings defaults() {
    return new ForecastSettings(
        12, new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}, 52, 4, 4, 200, 6, 0.1, 42L, 2, 50,
        6, 65_536);
  }

  /** The ladder (a copy). */
  @Override
  public double[] ladder() {
    return ladder.clone();
  }

  /** These settings with other tree parameters (tests and benchmarks use few, shallow trees). */
  public ForecastSettings withTrees(int numRounds, int maxDepth, double eta) {
    return new ForecastSettings(
        horizon, ladder, trainingWeeks, originEvery, validationWeeks, numRounds, maxDepth, eta,
        seed, numWorkers, minTrainingRows, returnMaturityWeeks, batchRows, boosterTraining,
        trackerTimeoutSeconds, family);
  }

  /** These settings with another horizon and ladder. */
  public ForecastSettings withPlan(int horizon, double[] ladder) {
    return new ForecastSettings(
        horizon, ladder, trainingWeeks, originEvery, Math.min(validationWeeks, horizon), numRounds,
        maxDepth, eta, seed, numWorkers, minTrainingRows, returnMaturityWeeks, batchRows, boosterTraining,
        trackerTimeoutSeconds, family);
  }

  /** These settings with another training window. */
  public ForecastSettings withTraining(int trainingWeeks, int originEvery, int validationWeeks) {
    return new ForecastSettings(
        horizon, ladder, trainingWeeks, originEvery, validationWeeks, numRounds, maxDepth, eta,
        seed, numWorkers, minTrainingRows, returnMaturityWeeks, batchRows, boosterTraining,
        trackerTimeoutSeconds, family);
  }

  /** These settings with another family forecasting demand. */
  public ForecastSettings withFamily(ModelFamily family) {
    return new ForecastSettings(
        horizon, ladder, trainingWeeks, originEvery, validationWeeks, numRounds, maxDepth, eta,
        seed, numWorkers, minTrainingRows, returnMaturityWeeks, batchRows, boosterTraining,
        trackerTimeoutSeconds, family);
  }

  /** Hyperparameters as text, for provenance. */
  public java.util.Map<String, String> describe() {
    java.util.Map<String, String> m = new java.util.TreeMap<>();
    m.put("horizon", Integer.toString(horizon));
    m.put("ladder", Arrays.toString(ladder));
    m.put("training_weeks", Integer.toString(trainingWeeks));
    m.put("origin_every", Integer.toString(originEvery));
    m.put("validation_weeks", Integer.toString(validationWeeks));
    m.put("num_rounds", Integer.toString(numRounds));
    m.put("max_depth", Integer.toString(maxDepth));
    m.put("eta", Double.toString(eta));
    m.put("num_workers", Integer.toString(numWorkers));
    m.put("min_training_rows", Integer.toString(minTrainingRows));
    m.put("return_maturity_weeks", Integer.toString(returnMaturityWeeks));
    if (boosterTraining != BoosterTraining.AUTO) {
      // absent when AUTO, so that model versions trained before this setting existed stay valid
      m.put("booster_training", boosterTraining.name().toLowerCase(java.util.Locale.ROOT));
    }
    m.putAll(family.describe());
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ForecastSettings s
        && s.horizon == horizon
        && Arrays.equals(s.ladder, ladder)
        && s.trainingWeeks == trainingWeeks
        && s.originEvery == originEvery
        && s.validationWeeks == validationWeeks
        && s.numRounds == numRounds
        && s.maxDepth == maxDepth
        && Double.compare(s.eta, eta) == 0
        && s.seed == seed
        && s.numWorkers == numWorkers
        && s.minTrainingRows == minTrainingRows
        && s.returnMaturityWeeks == returnMaturityWeeks
        && s.batchRows == batchRows
        && s.boosterTraining == boosterTraining
        && s.trackerTimeoutSeconds == trackerTimeoutSeconds
        && s.family.equals(family);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ladder) * 31 + Long.hashCode(seed) + horizon;
  }

  @Override
  public String toString() {
    return "ForecastSettings" + describe() + "[seed=" + seed + ", batchRows=" + batchRows + "]";
  }
}
