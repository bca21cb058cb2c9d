package io.pricepath.forecast.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The level blend of a demand booster: {@code log demand} gains {@code weight(group) ·
 * ln(ratio)}, where {@code ratio} is the smoothed level over the base level (see {@code
 * FeatureLayout.SMOOTH_RATIO}) and {@code weight(group)} the learnt weight of the row's group (its
 * category code; the pooled weight for an unknown one). The base level times this factor is
 * {@code base^(1 − weight) · smoothed^weight}: 0 keeps the 8-week base level, 1 replaces it by the
 * smoothed one. An unknown, zero or negative ratio adds nothing.
 *
 * @param feature index of the smoothed level's ratio
 * @param groupFeature index of the group code
 * @param weights weight per group code, each in [0, 1]
 * @param pooledWeight weight of rows whose group is missing or unknown, in [0, 1]
 */
public record LevelTerm(int feature, int groupFeature, double[] weights, double pooledWeight)
    implements MarginTerm {
  private static final long serialVersionUID = 1L;

  static final String NAME = "level";

  public LevelTerm {
    Objects.requireNonNull(weights, "weights");
    weights = weights.clone();
    if (feature < 0 || groupFeature < 0) {
      throw new IllegalArgumentException(
          "Cannot build a level term: feature indexes must be >= 0 (%d, %d)"
              .formatted(feature, groupFeature));
    }
    if (!(pooledWeight >= 0 && pooledWeight <= 1)
        || Arrays.stream(weights).anyMatch(w -> !(w >= 0 && w <= 1))) {
      throw new IllegalArgumentException(
          "Cannot build a level term: weights must be in [0, 1] (%s, %s)"
              .formatted(pooledWeight, Arrays.toString(weights)));
    }
  }

  static LevelTerm read(TermParams p) {
    double[] weights = p.numbers("weights");
    double pooled = p.number("pooled_weight");
    if (!(pooled >= 0 && pooled <= 1) || Arrays.stream(weights).anyMatch(w -> !(w >= 0 && w <= 1))) {
      throw p.fail("weights must be in [0, 1] (%s, %s)".formatted(pooled, Arrays.toString(weights)));
    }
    return new LevelTerm(p.feature("feature"), p.feature("group_feature"), weights, pooled);
  }

  @Override
  public String name() {
    return NAME;
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
    h.put(TermParams.key(NAME, "feature"), Integer.toString(feature));
    h.put(TermParams.key(NAME, "group_feature"), Integer.toString(groupFeature));
    h.put(TermParams.key(NAME, "weights"), TermParams.list(weights));
    h.put(TermParams.key(NAME, "pooled_weight"), Double.toString(pooledWeight));
    return h;
  }

  /**
   * The pooled weight by Poisson maximum likelihood from the current one, then each group's
   * weight from the pooled one; all in [0, 1].
   */
  @Override
  public LevelTerm refit(FitPoints points, double[] rest, Map<String, Double> diagnostics) {
    int n = points.size();
    double[] z = new double[n];
    int[] group = new int[n];
    for (int i = 0; i < n; i++) {
      z[i] = logRatio(points.features(), points.offset(i));
      group[i] = Ratios.group(points.features()[points.offset(i) + groupFeature]);
    }
    double[] y = points.labels();
    double[] w = points.weights();
    double pooled = Newton.poisson(z, rest, y, w, pooledWeight, 0, 1).slopes()[0];
    double[] fitted =
        Newton.poissonByGroup(group, z, rest, y, w, weights.length, pooled, 0, 1).slopes();
    return new LevelTerm(feature, groupFeature, fitted, pooled);
  }

  @Override
  public Map<String, Double> metrics(List<String> categories) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("level_pooled_weight", pooledWeight);
    for (int g = 0; g < weights.length && g < categories.size(); g++) {
      m.put("level_weight_" + categories.get(g), weights[g]);
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LevelTerm t
        && feature == t.feature
        && groupFeature == t.groupFeature
        && Arrays.equals(weights, t.weights)
        && pooledWeight == t.pooledWeight;
  }

  @Override
  public int hashCode() {
    return Objects.hash(feature, groupFeature, Arrays.hashCode(weights), pooledWeight);
  }

  @Override
  public String toString() {
    return "LevelTerm" + hyperparameters();
  }
}
