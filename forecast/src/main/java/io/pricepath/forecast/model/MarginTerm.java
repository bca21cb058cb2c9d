package io.pricepath.forecast.model;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One additive term of a booster's margin, on the link scale of its objective (log demand for a
 * Poisson booster, the logit for a logistic one): a model predicts {@code inverse link(booster
 * output on that scale + Σ terms)}. The same {@link #margin} is the base margin the booster is
 * trained on top of and what the model adds back when it predicts, so no formula exists twice.
 *
 * <p>A term is written into and read from a model's provenance hyperparameters by {@link
 * MarginTerms} only, each parameter under the key {@code <name>_<parameter>}. A term whose
 * parameters are learnt refits them by maximum likelihood on plain arrays ({@link #refit}), with
 * everything else in the margin as offset: no Spark, unit-tested in milliseconds.
 */
public interface MarginTerm extends Serializable {
  /** The term's name: the prefix of its hyperparameter keys. */
  String name();

  /** Its value for the feature row of {@code features} at {@code offset}. */
  double margin(float[] features, int offset);

  /** Its parameters as provenance hyperparameters, each key {@code <name>_<parameter>}. */
  Map<String, String> hyperparameters();

  /**
   * This term with its parameters refitted by maximum likelihood on {@code points}, where {@code
   * rest[i]} is the rest of point {@code i}'s margin (booster output and every other term); this
   * term itself when it has nothing to learn. Figures about the fit itself (dispersion, …) go
   * into {@code diagnostics}.
   */
  default MarginTerm refit(FitPoints points, double[] rest, Map<String, Double> diagnostics) {
    return this;
  }

  /**
   * The fitted parameters as figures a person reads (provenance metrics), group codes named by
   * {@code categories}.
   */
  default Map<String, Double> metrics(List<String> categories) {
    return Map.of();
  }
}
