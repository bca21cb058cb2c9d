package io.pricepath.forecast.model;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The base margin of a return-rate booster (a logistic one, trained on top of it): the logit of
 * the return rate is its trees' output plus {@code logit(prior) + intercept + slope · (discount −
 * ref)}, where {@code prior} is a prior probability read from one feature ({@code defaultPrior}
 * when it is unknown, clamped to [0.001, 0.999]) and {@code ref} the discount it was measured at
 * ({@code NaN} reads as 0). The slope is the log odds ratio of a return per unit of discount
 * (negative when deeper discounts are returned less); the intercept corrects the prior's level.
 *
 * <p>It lives in the booster's provenance hyperparameters ({@link #hyperparameters}), so a saved
 * model carries it.
 *
 * @param priorFeature index of the prior probability
 * @param discountFeature index of the week's discount
 * @param referenceFeature index of the prior's discount
 * @param defaultPrior the prior of a row whose prior is unknown, in (0, 1)
 * @param intercept added to the logit, finite
 * @param slope per unit of discount, finite
 */
public record ReturnResponse(
    int priorFeature,
    int discountFeature,
    int referenceFeature,
    double defaultPrior,
    double intercept,
    double slope)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String PRIOR_FEATURE = "return_response_prior_feature";
  static final String DEFAULT_PRIOR = "return_response_default_prior";
  static final String DISCOUNT_FEATURE = "return_response_discount_feature";
  static final String REFERENCE_FEATURE = "return_response_reference_feature";
  static final String INTERCEPT = "return_response_intercept";
  static final String SLOPE = "return_response_slope";

  public ReturnResponse {
    if (priorFeature < 0 || discountFeature < 0 || referenceFeature < 0) {
      throw new IllegalArgumentException(
          "Cannot build a return response: feature indexes must be >= 0 (%d, %d, %d)"
              .formatted(priorFeature, discountFeature, referenceFeature));
    }
    if (!(defaultPrior > 0 && defaultPrior < 1)) {
      throw new IllegalArgumentException(
          "Cannot build a return response: the default prior must be in (0, 1) (%s)"
              .formatted(defaultPrior));
    }
    if (!Double.isFinite(intercept) || !Double.isFinite(slope)) {
      throw new IllegalArgumentException(
          "Cannot build a return response: intercept and slope must be finite (%s, %s)"
              .formatted(intercept, slope));
    }
  }

  /** The base margin (a logit) of the feature row of {@code features} at {@code offset}. */
  public double margin(float[] features, int offset) {
    float p = features[offset + priorFeature];
    float r = features[offset + referenceFeature];
    double ref = Float.isNaN(r) ? 0 : r;
    return logit(Float.isNaN(p) ? defaultPrior : p)
        + intercept
        + slope * (features[offset + discountFeature] - ref);
  }

  /** {@code logit(p)} with p clamped to [0.001, 0.999]. */
  public static double logit(double p) {
    double q = Math.max(0.001, Math.min(0.999, p));
    return Math.log(q / (1 - q));
  }

  /** This response as provenance hyperparameters. */
  public Map<String, String> hyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(PRIOR_FEATURE, Integer.toString(priorFeature));
    h.put(DEFAULT_PRIOR, Double.toString(defaultPrior));
    h.put(DISCOUNT_FEATURE, Integer.toString(discountFeature));
    h.put(REFERENCE_FEATURE, Integer.toString(referenceFeature));
    h.put(INTERCEPT, Double.toString(intercept));
    h.put(SLOPE, Double.toString(slope));
    return h;
  }

  /** The response that {@code hyperparameters} describe, or null when they describe none. */
  static ReturnResponse of(Map<String, String> hyperparameters, int featureCount) {
    if (!hyperparameters.containsKey(SLOPE)) {
      return null;
    }
    try {
      ReturnResponse r =
          new ReturnResponse(
              Integer.parseInt(hyperparameters.get(PRIOR_FEATURE).trim()),
              Integer.parseInt(hyperparameters.get(DISCOUNT_FEATURE).trim()),
              Integer.parseInt(hyperparameters.get(REFERENCE_FEATURE).trim()),
              Double.parseDouble(hyperparameters.get(DEFAULT_PRIOR).trim()),
              Double.parseDouble(hyperparameters.get(INTERCEPT).trim()),
              Double.parseDouble(hyperparameters.get(SLOPE).trim()));
      int max = Math.max(r.priorFeature, Math.max(r.discountFeature, r.referenceFeature));
      if (max >= featureCount) {
        throw new IllegalArgumentException(
            "Cannot read the return response: feature %d is outside the model's %d features"
                .formatted(max, featureCount));
      }
      return r;
    } catch (NullPointerException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot read the return response: its hyperparameters are incomplete or not numbers (%s)"
              .formatted(e.getMessage()),
          e);
    }
  }
}
