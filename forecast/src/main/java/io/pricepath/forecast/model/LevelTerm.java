package io.pricepath.forecast.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The level blend of a demand booster: on top of its trees and base margin, {@code log demand}
 * gains {@code weight(group) · ln(ratio)}, where {@code ratio} is the smoothed level over the
 * base level (see {@code FeatureLayout.SMOOTH_RATIO}) and {@code weight(group)} the learnt weight
 * of the row's group (its category code; the pooled weight for an unknown one). The base level
 * times this factor is {@code base^(1 − weight) · smoothed^weight}: 0 keeps the 8-week base
 * level, 1 replaces it by the smoothed one. An unknown, zero or negative ratio adds nothing.
 *
 * <p>It lives in the booster's provenance hyperparameters ({@link #hyperparameters}), so a saved
 * model carries it.
 *
 * @param feature index of the smoothed level's ratio
 * @param groupFeature index of the group code
 * @param weights weight per group code, each in [0, 1]
 * @param pooledWeight weight of rows whose group is missing or unknown, in [0, 1]
 */
public record LevelTerm(int feature, int groupFeature, double[] weights, double pooledWeight)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String FEATURE = "level_feature";
  static final String GROUP_FEATURE = "level_group_feature";
  static final String WEIGHTS = "level_weights";
  static final String POOLED_WEIGHT = "level_pooled_weight";

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

  /** The weight of group {@code code} (the pooled weight when it is {@code NaN} or unknown). */
  public double weight(float code) {
    int g = Float.isNaN(code) ? -1 : (int) code;
    return g >= 0 && g < weights.length ? weights[g] : pooledWeight;
  }

  /** {@code ln(ratio)} of the feature row at {@code offset}, 0 when the ratio is not known. */
  public double logRatio(float[] features, int offset) {
    float ratio = features[offset + feature];
    return ratio > 0 && Float.isFinite(ratio) ? Math.log(ratio) : 0;
  }

  /** The log factor of the feature row of {@code features} at {@code offset}. */
  public double logFactor(float[] features, int offset) {
    return weight(features[offset + groupFeature]) * logRatio(features, offset);
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  /** This term as provenance hyperparameters. */
  public Map<String, String> hyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(FEATURE, Integer.toString(feature));
    h.put(GROUP_FEATURE, Integer.toString(groupFeature));
    h.put(
        WEIGHTS,
        Arrays.stream(weights).mapToObj(Double::toString).collect(Collectors.joining(",")));
    h.put(POOLED_WEIGHT, Double.toString(pooledWeight));
    return h;
  }

  /** The term that {@code hyperparameters} describe, or null when they describe none. */
  static LevelTerm of(Map<String, String> hyperparameters, int featureCount) {
    if (!hyperparameters.containsKey(POOLED_WEIGHT)) {
      return null;
    }
    try {
      String list = hyperparameters.get(WEIGHTS).trim();
      LevelTerm t =
          new LevelTerm(
              Integer.parseInt(hyperparameters.get(FEATURE).trim()),
              Integer.parseInt(hyperparameters.get(GROUP_FEATURE).trim()),
              list.isEmpty()
                  ? new double[0]
                  : Arrays.stream(list.split(",")).mapToDouble(Double::parseDouble).toArray(),
              Double.parseDouble(hyperparameters.get(POOLED_WEIGHT).trim()));
      if (t.feature >= featureCount || t.groupFeature >= featureCount) {
        throw new IllegalArgumentException(
            "Cannot read the level term: features %d, %d are outside the model's %d features"
                .formatted(t.feature, t.groupFeature, featureCount));
      }
      return t;
    } catch (NullPointerException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot read the level term: its hyperparameters are incomplete or not numbers (%s)"
              .formatted(e.getMessage()),
          e);
    }
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
