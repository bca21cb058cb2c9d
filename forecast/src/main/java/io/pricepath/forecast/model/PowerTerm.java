package io.pricepath.forecast.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A learnt power of a ratio feature: {@code log demand} gains {@code weight(group) · ln(ratio)},
 * {@code weight(group)} the learnt weight of the row's group (its category code; the pooled
 * weight for an unknown one), in [0, max]. An unknown, zero or negative ratio adds nothing. The
 * demand model has three: the level blend ({@code level}: the smoothed level over the base level,
 * so the base level becomes {@code base^(1 − w) · smoothed^w}), the own level ({@code own_level}:
 * the series' own regression level over the base level) and the own signal lift ({@code
 * own_signal}: the lift the series' own regression puts on the week's signals).
 *
 * @param name the kind of term (its hyperparameters' prefix)
 * @param feature index of the ratio
 * @param groupFeature index of the group code
 * @param weights weight per group code, each in [0, max]
 * @param pooledWeight weight of rows whose group is missing or unknown, in [0, max]
 * @param max the largest weight
 */
public record PowerTerm(
    String name, int feature, int groupFeature, double[] weights, double pooledWeight, double max)
    implements MarginTerm {
  private static final long serialVersionUID = 1L;

  /** The level blend's name. */
  static final String LEVEL = "level";

  /** The own level's name. */
  static final String OWN_LEVEL = "own_level";

  /** The own signal lift's name. */
  static final String OWN_SIGNAL = "own_signal";

  public PowerTerm {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(weights, "weights");
    weights = weights.clone();
    if (feature < 0 || groupFeature < 0) {
      throw new IllegalArgumentException(
          "Cannot build a %s term: feature indexes must be >= 0 (%d, %d)"
              .formatted(name, feature, groupFeature));
    }
    if (!(max > 0) || !(pooledWeight >= 0 && pooledWeight <= max)
        || Arrays.stream(weights).anyMatch(w -> !(w >= 0 && w <= max))) {
      throw new IllegalArgumentException(
          "Cannot build a %s term: weights must be in [0, %s] (%s, %s)"
              .formatted(name, max, pooledWeight, Arrays.toString(weights)));
    }
  }

  /** A level blend (weights in [0, 1]). */
  public static PowerTerm level(int feature, int groupFeature, double[] weights, double pooled) {
    return new PowerTerm(LEVEL, feature, groupFeature, weights, pooled, 1);
  }

  /** The reader of the kind {@code name} with weights in [0, max]. */
  static java.util.function.Function<TermParams, MarginTerm> reader(String name, double max) {
    return p -> {
      double[] weights = p.numbers("weights");
      double pooled = p.number("pooled_weight");
      if (!(pooled >= 0 && pooled <= max)
          || Arrays.stream(weights).anyMatch(w -> !(w >= 0 && w <= max))) {
        throw p.fail("weights must be in [0, %s] (%s, %s)"
            .formatted(max, pooled, Arrays.toString(weights)));
      }
      return new PowerTerm(name, p.feature("feature"), p.feature("group_feature"), weights,
          pooled, max);
    };
  }

  /** The weight of group {@code code} (the pooled weight when it is {@code NaN} or unknown). */
  public double weight(float code) {
    int g = Ratios.group(code);
    return g >= 0 && g < weights.length ? weights[g] : pooledWeight;
  }

  /** {@code ln(ratio)} of the feature row at {@code offset}, 0 when the ratio is not known. */
  public double logRatio(float[] features, int offset) {
    return Ratios.log(features[offset + feature]);
  }

  @Override
  public double margin(float[] features, int offset) {
    return weight(features[offset + groupFeature]) * logRatio(features, offset);
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public Map<String, String> hyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(TermParams.key(name, "feature"), Integer.toString(feature));
    h.put(TermParams.key(name, "group_feature"), Integer.toString(groupFeature));
    h.put(TermParams.key(name, "weights"), TermParams.list(weights));
    h.put(TermParams.key(name, "pooled_weight"), Double.toString(pooledWeight));
    return h;
  }

  /**
   * The pooled weight by Poisson maximum likelihood from the current one, then each group's
   * weight from the pooled one; all in [0, max].
   */
  @Override
  public PowerTerm refit(FitPoints points, double[] rest, Map<String, Double> diagnostics) {
    int n = points.size();
    double[] z = new double[n];
    int[] group = new int[n];
    for (int i = 0; i < n; i++) {
      z[i] = logRatio(points.features(), points.offset(i));
      group[i] = Ratios.group(points.features()[points.offset(i) + groupFeature]);
    }
    double[] y = points.labels();
    double[] w = points.weights();
    double pooled = Newton.poisson(z, rest, y, w, pooledWeight, 0, max).slopes()[0];
    double[] fitted =
        Newton.poissonByGroup(group, z, rest, y, w, weights.length, pooled, 0, max).slopes();
    return new PowerTerm(name, feature, groupFeature, fitted, pooled, max);
  }

  @Override
  public Map<String, Double> metrics(List<String> categories) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(name + "_pooled_weight", pooledWeight);
    for (int g = 0; g < weights.length && g < categories.size(); g++) {
      m.put(name + "_weight_" + categories.get(g), weights[g]);
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PowerTerm t
        && name.equals(t.name)
        && feature == t.feature
        && groupFeature == t.groupFeature
        && Arrays.equals(weights, t.weights)
        && pooledWeight == t.pooledWeight
        && max == t.max;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, feature, groupFeature, Arrays.hashCode(weights), pooledWeight, max);
  }

  @Override
  public String toString() {
    return "PowerTerm" + hyperparameters();
  }
}
