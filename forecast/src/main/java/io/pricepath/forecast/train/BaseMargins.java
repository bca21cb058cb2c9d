package io.pricepath.forecast.train;

import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.model.CostPrior;
import io.pricepath.forecast.model.ReturnResponse;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The margin terms the return-rate and fulfillment boosters train on top of, each fitted on a
 * target's training rows before its validation weeks (plain arrays, no Spark), with the figures
 * and the note its provenance carries.
 */
final class BaseMargins {
  private final FeatureLayout layout;

  BaseMargins(FeatureLayout layout) {
    this.layout = layout;
  }

  /**
   * The fulfillment cost's base margin: {@code intercept + slope · prior}, the prior the
   * article's own recent cost per unit, fitted by least squares on the weeks before the
   * validation weeks; the rows without a prior start from their mean.
   */
  CostPrior costPrior(
      TrainingSet set, LocalDate validationFrom, Map<String, Double> metrics, List<String> notes) {
    TrainingRows train = before(set, validationFrom);
    Map<String, Double> diagnostics = new LinkedHashMap<>();
    CostPrior fitted =
        CostPrior.of(layout.costPerUnitIndex())
            .refit(train.points(), new double[train.size()], diagnostics);
    metrics.putAll(fitted.metrics(List.of()));
    metrics.putAll(diagnostics);
    notes.add(
        ("base margin: %.4f + %.4f * %s (%.4f where unknown): the article's own fulfillment cost"
                + " per unit over its recent weeks, a least-squares fit on the weeks before the"
                + " validation weeks; the trees learn how a week departs from it")
            .formatted(fitted.intercept(), fitted.slope(), FeatureLayout.COST_PER_UNIT,
                fitted.unknown()));
    return fitted;
  }

  /**
   * The return rate's base margin: {@code logit(prior) + intercept + slope · (discount − ref)},
   * intercept and slope a logistic fit with the prior as offset on the sale weeks before the
   * validation weeks, the training mean standing in for an unknown prior.
   */
  ReturnResponse returnResponse(
      TrainingSet set, LocalDate validationFrom, Map<String, Double> metrics,
      List<String> notes) {
    TrainingRows train = before(set, validationFrom);
    double[] sums = train.sums();
    double defaultPrior =
        sums[0] > 0 ? Math.max(0.001, Math.min(0.999, sums[1] / sums[0])) : 0.5;
    ReturnResponse start =
        new ReturnResponse(layout.returnRatioIndex(), layout.discountIndex(),
            layout.returnDiscountIndex(), defaultPrior, 0, 0);
    ReturnResponse fitted =
        start.refit(train.points(), new double[train.size()], new LinkedHashMap<>());
    metrics.putAll(fitted.metrics(List.of()));
    notes.add(
        ("base margin: logit(%s) + %.4f + %.4f * (discount - %s): the prior is the article's own"
                + " return ratio shrunk to its category's (%.4f, the training mean, when unknown),"
                + " measured at %s; intercept and discount slope are a logistic fit with the prior"
                + " as offset on the weeks before the validation weeks with a known prior; the"
                + " trees learn how a week departs from it")
            .formatted(FeatureLayout.RETURN_RATIO, fitted.intercept(), fitted.slope(),
                FeatureLayout.RETURN_DISCOUNT, defaultPrior, FeatureLayout.RETURN_DISCOUNT));
    return fitted;
  }

  /** The set's rows before {@code validationFrom}; all of them when none is. */
  private static TrainingRows before(TrainingSet set, LocalDate validationFrom) {
    TrainingRows train = set.rows(Subset.weeksBefore(validationFrom));
    return train.size() == 0 ? set.rows() : train;
  }
}
