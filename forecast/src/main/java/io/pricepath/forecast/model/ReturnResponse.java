package io.pricepath.forecast.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base margin of a return-rate booster (a logistic one, trained on top of it): the logit of
 * the return rate gains {@code logit(prior) + intercept + slope · (discount − ref)}, where {@code
 * prior} is a prior probability read from one feature ({@code defaultPrior} when it is unknown,
 * clamped to [0.001, 0.999]) and {@code ref} the discount it was measured at ({@code NaN} reads as
 * 0). The slope is the log odds ratio of a return per unit of discount (negative when deeper
 * discounts are returned less); the intercept corrects the prior's level.
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
    implements MarginTerm {
  private static final long serialVersionUID = 1L;

  static final String NAME = "return_response";

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

  static ReturnResponse read(TermParams p) {
    double prior = p.number("default_prior");
    double intercept = p.number("intercept");
    double slope = p.number("slope");
    if (!(prior > 0 && prior < 1) || !Double.isFinite(intercept) || !Double.isFinite(slope)) {
      throw p.fail("the default prior must be in (0, 1), intercept and slope finite (%s, %s, %s)"
          .formatted(prior, intercept, slope));
    }
    return new ReturnResponse(
        p.feature("prior_feature"), p.feature("discount_feature"), p.feature("reference_feature"),
        prior, intercept, slope);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double margin(float[] features, int offset) {
    return priorLogit(features, offset) + intercept + slope * change(features, offset);
  }

  /** {@code logit(prior)} of the row at {@code offset}. */
  private double priorLogit(float[] features, int offset) {
    float p = features[offset + priorFeature];
    return logit(Float.isNaN(p) ? defaultPrior : p);
  }

  /** {@code discount − ref} of the row at {@code offset}. */
  private double change(float[] features, int offset) {
    float r = features[offset + referenceFeature];
    return features[offset + discountFeature] - (Float.isNaN(r) ? 0 : r);
  }

  /** {@code logit(p)} with p clamped to [0.001, 0.999]. */
  public static double logit(double p) {
    double q = Math.max(0.001, Math.min(0.999, p));
    return Math.log(q / (1 - q));
  }

  @Override
  public Map<String, String> hyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(TermParams.key(NAME, "prior_feature"), Integer.toString(priorFeature));
    h.put(TermParams.key(NAME, "default_prior"), Double.toString(defaultPrior));
    h.put(TermParams.key(NAME, "discount_feature"), Integer.toString(discountFeature));
    h.put(TermParams.key(NAME, "reference_feature"), Integer.toString(referenceFeature));
    h.put(TermParams.key(NAME, "intercept"), Double.toString(intercept));
    h.put(TermParams.key(NAME, "slope"), Double.toString(slope));
    return h;
  }

  /**
   * Intercept and slope by logistic maximum likelihood (Newton's method, from 0) with the prior
   * and {@code rest} as offset, on the points whose prior is known (all points when none is: the
   * default prior then stands in at no particular discount).
   */
  @Override
  public ReturnResponse refit(FitPoints points, double[] rest, Map<String, Double> diagnostics) {
    int known = 0;
    for (int i = 0; i < points.size(); i++) {
      known += Float.isNaN(points.features()[points.offset(i) + priorFeature]) ? 0 : 1;
    }
    double[] x = new double[points.size()];
    double[] offset = new double[points.size()];
    double[] w = points.weights().clone();
    for (int i = 0; i < x.length; i++) {
      int o = points.offset(i);
      x[i] = change(points.features(), o);
      offset[i] = rest[i] + priorLogit(points.features(), o);
      if (known > 0 && Float.isNaN(points.features()[o + priorFeature])) {
        w[i] = 0;
      }
    }
    double[] fit = Newton.logistic(x, offset, points.labels(), w);
    return new ReturnResponse(
        priorFeature, discountFeature, referenceFeature, defaultPrior, fit[0], fit[1]);
  }

  @Override
  public Map<String, Double> metrics(List<String> categories) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("return_response_default_prior", defaultPrior);
    m.put("return_response_intercept", intercept);
    m.put("return_response_slope", slope);
    return m;
  }
}
