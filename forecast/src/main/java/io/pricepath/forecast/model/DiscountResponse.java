package io.pricepath.forecast.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The parametric discount response of a demand booster: on top of its trees and base margin,
 * {@code log demand} gains {@code E · ref + slope(group) · (discount − ref)}, where {@code ref} is
 * the discount the base level was measured at ({@code NaN} reads as 0), {@code E} the reference
 * elasticity the base level was de-discounted with, and {@code slope(group)} the learnt
 * semi-elasticity of the row's group (its category code; the pooled slope for an unknown one).
 * Every slope is {@code >= 0}, so demand is non-decreasing in the discount for every row.
 *
 * <p>It lives in the booster's provenance hyperparameters ({@link #hyperparameters}), so a saved
 * model carries it.
 *
 * @param discountFeature index of the week's discount
 * @param referenceFeature index of the base level's discount
 * @param referenceElasticity {@code E}, {@code >= 0}
 * @param groupFeature index of the group code
 * @param slopes slope per group code, each {@code >= 0}
 * @param pooledSlope slope of rows whose group is missing or unknown, {@code >= 0}
 */
public record DiscountResponse(
    int discountFeature,
    int referenceFeature,
    double referenceElasticity,
    int groupFeature,
    double[] slopes,
    double pooledSlope)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String DISCOUNT_FEATURE = "response_discount_feature";
  static final String REFERENCE_FEATURE = "response_reference_feature";
  static final String REFERENCE_ELASTICITY = "response_reference_elasticity";
  static final String GROUP_FEATURE = "response_group_feature";
  static final String SLOPES = "response_slopes";
  static final String POOLED_SLOPE = "response_pooled_slope";

  public DiscountResponse {
    Objects.requireNonNull(slopes, "slopes");
    slopes = slopes.clone();
    if (discountFeature < 0 || referenceFeature < 0 || groupFeature < 0) {
      throw new IllegalArgumentException(
          "Cannot build a discount response: feature indexes must be >= 0 (%d, %d, %d)"
              .formatted(discountFeature, referenceFeature, groupFeature));
    }
    if (!(referenceElasticity >= 0) || !(pooledSlope >= 0)
        || Arrays.stream(slopes).anyMatch(s -> !(s >= 0))) {
      throw new IllegalArgumentException(
          "Cannot build a discount response: elasticity and slopes must be >= 0 (%s, %s, %s)"
              .formatted(referenceElasticity, pooledSlope, Arrays.toString(slopes)));
    }
  }

  /** The slope of group {@code code} (the pooled slope when it is {@code NaN} or unknown). */
  public double slope(float code) {
    int g = Float.isNaN(code) ? -1 : (int) code;
    return g >= 0 && g < slopes.length ? slopes[g] : pooledSlope;
  }

  /** The log factor of the feature row of {@code features} at {@code offset}. */
  public double logFactor(float[] features, int offset) {
    float r = features[offset + referenceFeature];
    double ref = Float.isNaN(r) ? 0 : r;
    double discount = features[offset + discountFeature];
    return referenceElasticity * ref + slope(features[offset + groupFeature]) * (discount - ref);
  }

  @Override
  public double[] slopes() {
    return slopes.clone();
  }

  /** This response as provenance hyperparameters. */
  public Map<String, String> hyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(DISCOUNT_FEATURE, Integer.toString(discountFeature));
    h.put(REFERENCE_FEATURE, Integer.toString(referenceFeature));
    h.put(REFERENCE_ELASTICITY, Double.toString(referenceElasticity));
    h.put(GROUP_FEATURE, Integer.toString(groupFeature));
    h.put(
        SLOPES, Arrays.stream(slopes).mapToObj(Double::toString).collect(Collectors.joining(",")));
    h.put(POOLED_SLOPE, Double.toString(pooledSlope));
    return h;
  }

  /** The response that {@code hyperparameters} describe, or null when they describe none. */
  static DiscountResponse of(Map<String, String> hyperparameters, int featureCount) {
    if (!hyperparameters.containsKey(SLOPES)) {
      return null;
    }
    try {
      String list = hyperparameters.get(SLOPES).trim();
      DiscountResponse r =
          new DiscountResponse(
              Integer.parseInt(hyperparameters.get(DISCOUNT_FEATURE).trim()),
              Integer.parseInt(hyperparameters.get(REFERENCE_FEATURE).trim()),
              Double.parseDouble(hyperparameters.get(REFERENCE_ELASTICITY).trim()),
              Integer.parseInt(hyperparameters.get(GROUP_FEATURE).trim()),
              list.isEmpty()
                  ? new double[0]
                  : Arrays.stream(list.split(",")).mapToDouble(Double::parseDouble).toArray(),
              Double.parseDouble(hyperparameters.get(POOLED_SLOPE).trim()));
      int max = Math.max(r.discountFeature, Math.max(r.referenceFeature, r.groupFeature));
      if (max >= featureCount) {
        throw new IllegalArgumentException(
            "Cannot read the discount response: feature %d is outside the model's %d features"
                .formatted(max, featureCount));
      }
      return r;
    } catch (NullPointerException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot read the discount response: its hyperparameters are incomplete or not numbers (%s)"
              .formatted(e.getMessage()),
          e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiscountResponse r
        && r.discountFeature == discountFeature
        && r.referenceFeature == referenceFeature
        && Double.compare(r.referenceElasticity, referenceElasticity) == 0
        && r.groupFeature == groupFeature
        && Arrays.equals(r.slopes, slopes)
        && Double.compare(r.pooledSlope, pooledSlope) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        discountFeature, referenceFeature, referenceElasticity, groupFeature,
        Arrays.hashCode(slopes), pooledSlope);
  }

  @Override
  public String toString() {
    return "DiscountResponse" + hyperparameters();
  }
}
