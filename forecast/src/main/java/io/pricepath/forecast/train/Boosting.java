package io.pricepath.forecast.train;

import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.MarginTerms;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains one XGBoost booster: on the driver with the plain {@code xgboost4j} API when a target's
 * rows are all there ({@link LocalBoosting}), else distributed with XGBoost4J-Spark ({@link
 * SparkBoosting}). Both read the same {@link Job}, so they train the same model up to the
 * distributed histogram sketch.
 */
interface Boosting {
  /**
   * What to train.
   *
   * @param objective XGBoost objective
   * @param rounds boosting rounds (the most, with early stopping); 0: no trees, the margin alone
   * @param monotone monotone constraints per feature, or null
   * @param hidden features the trees must not read (set to missing in training)
   * @param base margin terms the booster is trained on top of (its base margins), or none
   * @param baseScore the booster's own intercept on the label scale with base margins (0 on the
   *     margin scale: 1 for count objectives, 0.5 for logistic ones), or null without them
   */
  record Job(
      String objective, int rounds, int[] monotone, int[] hidden, MarginTerms base,
      Double baseScore) {}

  /**
   * A trained booster's bytes (UBJSON) and its best iteration (the last one without early
   * stopping); the booster holds exactly the rounds up to its best iteration.
   */
  record Boosted(byte[] bytes, int bestIteration) {}

  /**
   * Trains {@code job} on the rows of {@code train}; with an {@code eval} part (null: none), stops
   * early on it after {@link #patience} rounds without improvement and keeps the best rounds.
   */
  Boosted boost(TrainingSet set, Subset train, Subset eval, Job job);

  /** Local when the set's rows are all on the driver, else on Spark. */
  static Boosting of(TrainingSet set, ForecastSettings settings, int threads) {
    return set.complete() ? new LocalBoosting(settings, threads) : new SparkBoosting(settings);
  }

  /** Patience of early stopping: a tenth of the maximum rounds, at least 10. */
  static int patience(ForecastSettings settings) {
    return Math.max(10, settings.numRounds() / 10);
  }

  /** The XGBoost parameters of {@code job} (without threads). */
  static Map<String, Object> params(ForecastSettings settings, Job job) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("objective", job.objective());
    p.put("max_depth", settings.maxDepth());
    // no trees: one round that learns nothing (a booster needs one to save its base score)
    p.put("eta", job.rounds() == 0 ? 0.0 : settings.eta());
    p.put("seed", settings.seed());
    p.put("tree_method", "hist");
    p.put("verbosity", 0);
    if (job.baseScore() != null) {
      p.put("base_score", job.baseScore());
    }
    if (job.monotone() != null) {
      p.put("monotone_constraints", monotoneString(job.monotone()));
    }
    if (job.objective().equals("count:poisson")) {
      p.put("eval_metric", "poisson-nloglik");
    }
    return p;
  }

  static String monotoneString(int[] monotone) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < monotone.length; i++) {
      s.append(i == 0 ? "" : ",").append(monotone[i]);
    }
    return s.append(')').toString();
  }
}
