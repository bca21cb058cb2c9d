package io.pricepath.forecast.train;

import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The constant models a training saves where it trains no booster, each with a provenance that
 * says why: a table the dataset does not have, too few rows, or a target the training was not
 * asked for.
 */
final class ConstantModels {
  private final FeatureLayout layout;
  private final ForecastSettings settings;
  private final Provenances provenances;

  ConstantModels(FeatureLayout layout, ForecastSettings settings, Provenances provenances) {
    this.layout = layout;
    this.settings = settings;
    this.provenances = provenances;
  }

  /**
   * A constant 0 model of {@code target} that says it was not trained: what a training asked for
   * other targets only (a backtest's) saves in its place. Never for serving.
   */
  TargetModel notTrained(Target target) {
    return TargetModel.constant(
        target, 0.0, width(target),
        provenances.of(target, "constant", "not trained: 0", Stats.NONE, Map.of(),
            List.of("not trained: this training was asked for other targets only (a backtest,"
                + " which evaluates demand, return rate and fulfillment cost); not for serving"),
            Map.of()));
  }

  /** A constant 0 model of {@code target}, whose table the dataset does not have ({@code note}). */
  TargetModel absent(Target target, String note) {
    return TargetModel.constant(
        target, 0.0, width(target),
        provenances.of(target, "constant", "absent table: 0", Stats.NONE, Map.of(), List.of(note),
            Map.of()));
  }

  /**
   * The weighted mean of the labels (0 without weight) as {@code target}'s model, where it has
   * fewer training rows than a booster needs; {@code notes} and {@code metrics} are the fit's.
   */
  TargetModel fallback(
      Target target, Stats stats, Map<String, Double> metrics, List<String> notes) {
    double value = stats.weight() > 0 ? stats.weightedMean() : 0.0;
    List<String> all = new ArrayList<>(notes);
    all.add(
        "constant fallback: %d training rows (fewer than %d); predicts the weighted mean of the labels (%s)"
            .formatted(stats.rows(), settings.minTrainingRows(), value));
    return TargetModel.constant(
        target, value, width(target),
        provenances.of(target, "constant", "weighted mean", stats, metrics, all, Map.of()));
  }

  private int width(Target target) {
    return target.articleLevel() ? layout.articleWidth() : layout.width();
  }
}
