package io.pricepath.forecast.train;

import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demand model's holdout: the early-stopped training on the weeks before the cutoff, its
 * figures on the weeks from it beside two naive forecasts, and whether its trees earn their
 * place over the margin terms alone.
 */
final class DemandHoldout {
  private final FeatureLayout layout;
  private final ForecastSettings settings;
  private final Provenances provenances;

  DemandHoldout(FeatureLayout layout, ForecastSettings settings, Provenances provenances) {
    this.layout = layout;
    this.settings = settings;
    this.provenances = provenances;
  }

  /**
   * Trains the demand model on target weeks before {@code cutoff} with early stopping on the
   * samples at origin {@code cutoff} (the last validation weeks: a time-ordered split) and
   * records the best iteration and the holdout figures beside two naive forecasts.
   *
   * @return the early-stopped model (best iteration -1 where the trees did not earn their
   *     place), or null when there is no holdout to stop on
   */
  DemandFit.Staged fit(
      TrainingSet set, Boosting boosting, DemandFit demand, LocalDate cutoff, Stats stats,
      Map<String, Double> metrics, List<String> notes) {
    Subset before = Subset.weeksBefore(cutoff);
    Subset after = Subset.atOrigin(cutoff);
    TrainingRows train = set.rows(before);
    TrainingRows eval = set.rows(after);
    long trainRows = set.complete() ? train.size() : set.spark(before).count();
    if (trainRows < settings.minTrainingRows()) {
      notes.add(
          "no holdout and no early stopping: %d training rows before %s (fewer than %d)"
              .formatted(trainRows, cutoff, settings.minTrainingRows()));
      return null;
    }
    if (eval.size() == 0) {
      notes.add(
          "no holdout and no early stopping: no uncensored sales at origin %s".formatted(cutoff));
      return null;
    }
    DemandFit.Staged staged =
        demand.staged(set, boosting, before, after, settings.numRounds(), new LinkedHashMap<>());
    Map<String, String> hyper = new LinkedHashMap<>(staged.terms().hyperparameters());
    double[] predictions = new double[eval.size()];
    try (TargetModel model =
        TargetModel.xgboost(
            Target.DEMAND, staged.bytes(), layout.width(),
            provenances.of(
                Target.DEMAND, "xgboost", "count:poisson", stats, Map.of(), List.of(), hyper))) {
      model.predict(eval.x, eval.size(), layout.width(), predictions);
    }
    metrics.put("best_iteration", (double) staged.bestIteration());
    metrics.put("early_stopping_rounds", (double) Boosting.patience(settings));
    metrics.put("validation_rows", (double) eval.size());
    notes.add(
        "early stopping: trained on target weeks before %s and validated on %s with poisson-nloglik, patience %d rounds: best iteration %d of at most %d; the final model keeps these trees (one training, not a second on every week) and refits its margin terms on every week with the trees as offset"
            .formatted(cutoff, DemandFit.describe(cutoff, settings.validationWeeks()),
                Boosting.patience(settings), staged.bestIteration(), settings.numRounds()));
    double[] sums = train.sums();
    double mean = sums[0] > 0 ? sums[1] / sums[0] : stats.weightedMean();
    DemandFit.Holdout h = DemandFit.holdout(eval, predictions, mean);
    if (h == null) {
      notes.add("no holdout: no uncensored sales at origin %s".formatted(cutoff));
    } else {
      metrics.putAll(h.metrics());
      notes.add(
          "holdout: the early-stopped model (trained on target weeks before %s) evaluated at origin %s on the next %d weeks (uncensored rows%s); its rounds were chosen on these weeks"
              .formatted(cutoff, cutoff, settings.validationWeeks(),
                  set.complete() ? "" : ", a sample of them"));
    }
    // The terms alone are a model too: where the trees do not beat them on the holdout by more
    // than its noise (small or noisy histories, where trees chase noise), the model keeps none.
    double[] termsOnly = new double[eval.size()];
    for (int i = 0; i < termsOnly.length; i++) {
      termsOnly[i] = Math.exp(staged.terms().margin(eval.x, i * eval.width));
    }
    double withTrees = DemandFit.deviance(eval, predictions);
    double withoutTrees = DemandFit.deviance(eval, termsOnly);
    double[] gain = DemandFit.treeGain(eval, predictions, termsOnly);
    metrics.put("holdout_deviance", withTrees);
    metrics.put("holdout_deviance_terms_only", withoutTrees);
    metrics.put("holdout_tree_gain", gain[0]);
    metrics.put("holdout_tree_gain_se", gain[1]);
    if (set.complete() && !DemandFit.treesEarnTheirPlace(gain)) {
      notes.add(
          ("no trees: on the holdout the trees did not beat the margin terms alone by %s standard"
                  + " errors (Poisson deviance %.4g with trees, %.4g without; gain per row %.3g ±"
                  + " %.3g)")
              .formatted(DemandFit.TREE_GAIN_SE, withTrees, withoutTrees, gain[0], gain[1]));
      return new DemandFit.Staged(null, -1, staged.terms(), null);
    }
    return staged;
  }
}
