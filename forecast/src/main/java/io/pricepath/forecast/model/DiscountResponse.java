package io.pricepath.forecast.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The parametric discount response of a demand booster: {@code log demand} gains {@code E · ref +
 * slope · (discount − ref)}, where {@code ref} is the discount the base level was measured at
 * ({@code NaN} reads as 0), {@code E} the reference elasticity the base level was de-discounted
 * with, and {@code slope} the row's semi-elasticity.
 *
 * <p>The slope is hierarchical: each group (category code) has a learnt slope, shrunk towards the
 * pooled one by empirical Bayes; with a series' own slope (a feature: the Poisson regression of
 * its own history before the origin on its discounts, with that estimate's variance {@code v} in
 * another feature), the row's slope moves from its group's towards its own by {@code τ² / (τ² +
 * v)}, {@code τ²} the learnt variance of the series' slopes around their group's: a series whose
 * history shows much price variation keeps its own response, one that shows little keeps its
 * group's. Every slope is in [0, 10] (own slopes are clamped there), so demand is non-decreasing
 * in the discount for every row, by construction.
 *
 * @param discountFeature index of the week's discount
 * @param referenceFeature index of the base level's discount
 * @param referenceElasticity {@code E}, {@code >= 0}
 * @param groupFeature index of the group code
 * @param slopes slope per group code, each {@code >= 0}
 * @param pooledSlope slope of rows whose group is missing or unknown, {@code >= 0}
 * @param ownSlopeFeature index of the series' own slope, -1 for none
 * @param ownVarianceFeature index of the variance of the own slope, -1 for none
 * @param priorVariance {@code τ²}, {@code >= 0} (0: the own slopes are not used)
 */
public record DiscountResponse(
    int discountFeature,
    int referenceFeature,
    double referenceElasticity,
    int groupFeature,
    double[] slopes,
    double pooledSlope,
    int ownSlopeFeature,
    int ownVarianceFeature,
    double priorVariance)
    implements MarginTerm {
  private static final long serialVersionUID = 2L;

  static final String NAME = "response";

  /** Largest slope (and own slope) a response takes. */
  static final double MAX_SLOPE = 10;

  /** The {@code τ}s the fit tries: 0 (the group's slope) to nearly the own slope alone. */
  private static final double[] PRIOR_SDS = {0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10};

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
    if ((ownSlopeFeature < 0) != (ownVarianceFeature < 0) || !(priorVariance >= 0)) {
      throw new IllegalArgumentException(
          "Cannot build a discount response: own slope and variance features go together and the prior variance must be >= 0 (%d, %d, %s)"
              .formatted(ownSlopeFeature, ownVarianceFeature, priorVariance));
    }
  }

  /** A response with group slopes only. */
  public DiscountResponse(
      int discountFeature,
      int referenceFeature,
      double referenceElasticity,
      int groupFeature,
      double[] slopes,
      double pooledSlope) {
    this(discountFeature, referenceFeature, referenceElasticity, groupFeature, slopes, pooledSlope,
        -1, -1, 0);
  }

  static DiscountResponse read(TermParams p) {
    double[] slopes = p.numbers("slopes");
    double e = p.number("reference_elasticity");
    double pooled = p.number("pooled_slope");
    if (!(e >= 0) || !(pooled >= 0) || Arrays.stream(slopes).anyMatch(s -> !(s >= 0))) {
      throw p.fail("elasticity and slopes must be >= 0 (%s, %s, %s)"
          .formatted(e, pooled, Arrays.toString(slopes)));
    }
    return new DiscountResponse(
        p.feature("discount_feature"), p.feature("reference_feature"), e,
        p.feature("group_feature"), slopes, pooled, p.optionalFeature("own_slope_feature"),
        p.optionalFeature("own_variance_feature"), Math.max(0, p.number("prior_variance", 0)));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The slope of group {@code code} (the pooled slope when it is {@code NaN} or unknown). */
  public double slope(float code) {
    int g = Ratios.group(code);
    return g >= 0 && g < slopes.length ? slopes[g] : pooledSlope;
  }

  /** The share of the row's own slope in its slope: {@code τ² / (τ² + v)}, 0 without one. */
  double ownShare(float[] features, int offset) {
    if (ownSlopeFeature < 0 || priorVariance == 0) {
      return 0;
    }
    float own = features[offset + ownSlopeFeature];
    float v = features[offset + ownVarianceFeature];
    if (!Float.isFinite(own) || !(v > 0) || !Float.isFinite(v)) {
      return 0;
    }
    return priorVariance / (priorVariance + v);
  }

  /** The row's own slope clamped to [0, {@value #MAX_SLOPE}] (0 when unknown). */
  double ownSlope(float[] features, int offset) {
    if (ownSlopeFeature < 0) {
      return 0;
    }
    float own = features[offset + ownSlopeFeature];
    return Float.isFinite(own) ? Newton.clamp(own, 0, MAX_SLOPE) : 0;
  }

  /** The slope of the feature row at {@code offset}: its group's moved towards its own. */
  public double rowSlope(float[] features, int offset) {
    double group = slope(features[offset + groupFeature]);
    double k = ownShare(features, offset);
    return k == 0 ? group : group + k * (ownSlope(features, offset) - group);
  }

  /** {@code ref} of the row at {@code offset}. */
  private double reference(float[] features, int offset) {
    float r = features[offset + referenceFeature];
    return Float.isNaN(r) ? 0 : r;
  }

  @Override
  public double margin(float[] features, int offset) {
    double ref = reference(features, offset);
    double discount = features[offset + discountFeature];
    return referenceElasticity * ref + rowSlope(features, offset) * (discount - ref);
  }

  @Override
  public double[] slopes() {
    return slopes.clone();
  }

  @Override
  public Map<String, String> hyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(TermParams.key(NAME, "discount_feature"), Integer.toString(discountFeature));
    h.put(TermParams.key(NAME, "reference_feature"), Integer.toString(referenceFeature));
    h.put(TermParams.key(NAME, "reference_elasticity"), Double.toString(referenceElasticity));
    h.put(TermParams.key(NAME, "group_feature"), Integer.toString(groupFeature));
    h.put(TermParams.key(NAME, "slopes"), TermParams.list(slopes));
    h.put(TermParams.key(NAME, "pooled_slope"), Double.toString(pooledSlope));
    if (ownSlopeFeature >= 0) {
      h.put(TermParams.key(NAME, "own_slope_feature"), Integer.toString(ownSlopeFeature));
      h.put(TermParams.key(NAME, "own_variance_feature"), Integer.toString(ownVarianceFeature));
      h.put(TermParams.key(NAME, "prior_variance"), Double.toString(priorVariance));
    }
    return h;
  }

  /**
   * Refits the slopes by Poisson maximum likelihood with {@code rest} as offset: the pooled slope
   * and each group's slope (Newton's method), each group's slope shrunk towards the pooled one by
   * empirical Bayes — its variance is the Poisson one inflated by the Pearson dispersion and by
   * the points' overlap, the prior variance of the group slopes is their spread around the pooled
   * slope less the mean of those variances (method of moments), and each slope moves to its
   * posterior mean. With own slopes, {@code τ²} is the value of a grid whose fit has the highest
   * likelihood, found by climbing the grid from the current value (the targets come after the
   * history the own slopes were measured on, so this is an out-of-sample choice).
   */
  @Override
  public DiscountResponse refit(FitPoints points, double[] rest, Map<String, Double> diagnostics) {
    if (ownSlopeFeature < 0) {
      return refit(points, rest, 0, diagnostics);
    }
    // τ² climbs the grid from the point nearest the current one while a neighbour's fit is more
    // likely: the likelihood is single-peaked in τ², and each sweep starts where the last ended,
    // so a climb costs three fits where the whole grid cost ten
    Map<Integer, DiscountResponse> fits = new HashMap<>();
    Map<Integer, Map<String, Double>> fitDiagnostics = new HashMap<>();
    Map<Integer, Double> likelihoods = new HashMap<>();
    IntFunction<Double> at = k -> likelihoods.computeIfAbsent(k, j -> {
      Map<String, Double> d = new LinkedHashMap<>();
      DiscountResponse fit = refit(points, rest, PRIOR_SDS[j] * PRIOR_SDS[j], d);
      fits.put(j, fit);
      fitDiagnostics.put(j, d);
      return fit.logLikelihood(points, rest);
    });
    int best = nearestPrior(priorVariance);
    for (boolean moved = true; moved; ) {
      moved = false;
      for (int k : new int[] {best - 1, best + 1}) {
        if (k >= 0 && k < PRIOR_SDS.length && at.apply(k) > at.apply(best) + 1e-9) {
          best = k;
          moved = true;
        }
      }
    }
    diagnostics.putAll(fitDiagnostics.get(best));
    return fits.get(best);
  }

  /** The index of the grid's {@code τ} nearest {@code sqrt(variance)}. */
  static int nearestPrior(double variance) {
    double sd = Math.sqrt(Math.max(0, variance));
    int nearest = 0;
    for (int k = 1; k < PRIOR_SDS.length; k++) {
      if (Math.abs(PRIOR_SDS[k] - sd) < Math.abs(PRIOR_SDS[nearest] - sd)) {
        nearest = k;
      }
    }
    return nearest;
  }

  /** The Poisson log-likelihood of the points with this response and {@code rest}. */
  double logLikelihood(FitPoints points, double[] rest) {
    double[] eta = new double[points.size()];
    for (int i = 0; i < eta.length; i++) {
      eta[i] = rest[i] + margin(points.features(), points.offset(i));
    }
    return Newton.poissonLogLikelihood(eta, points.labels(), points.weights());
  }

  /** The group slopes refitted for a given {@code τ²}. */
  private DiscountResponse refit(
      FitPoints points, double[] rest, double tau2, Map<String, Double> diagnostics) {
    DiscountResponse shape =
        new DiscountResponse(discountFeature, referenceFeature, referenceElasticity, groupFeature,
            slopes, pooledSlope, ownSlopeFeature, ownVarianceFeature, tau2);
    int n = points.size();
    float[] f = points.features();
    double[] y = points.labels();
    double[] w = points.weights();
    // log mu = rest + E ref + k own x + (1 - k) x · slope(group): linear in the group slope
    double[] offset = new double[n];
    double[] z = new double[n];
    int[] group = new int[n];
    for (int i = 0; i < n; i++) {
      int o = points.offset(i);
      double ref = reference(f, o);
      double x = f[o + discountFeature] - ref;
      double k = shape.ownShare(f, o);
      offset[i] = rest[i] + referenceElasticity * ref + k * shape.ownSlope(f, o) * x;
      z[i] = (1 - k) * x;
      group[i] = Ratios.group(f[o + groupFeature]);
    }
    double pooled = Newton.poisson(z, offset, y, w, pooledSlope, 0, MAX_SLOPE).slopes()[0];
    double[] atPooled = new double[n];
    for (int i = 0; i < n; i++) {
      atPooled[i] = offset[i] + pooled * z[i];
    }
    double dispersion = Newton.pearsonDispersion(atPooled, y, w);
    double inflation = dispersion * points.overlap();
    Newton.Grouped byGroup =
        Newton.poissonByGroup(group, z, offset, y, w, slopes.length, pooled, 0, MAX_SLOPE);
    double[] fitted = byGroup.slopes();
    double[] variances = new double[fitted.length];
    double spread = 0;
    double noise = 0;
    int groups = 0;
    for (int g = 0; g < fitted.length; g++) {
      double info = byGroup.information()[g];
      variances[g] = info > 0 ? inflation / info : Double.POSITIVE_INFINITY;
      if (Double.isFinite(variances[g])) {
        spread += (fitted[g] - pooled) * (fitted[g] - pooled);
        noise += variances[g];
        groups++;
      }
    }
    double prior = groups == 0 ? 0 : Math.max(0, (spread - noise) / groups);
    for (int g = 0; g < fitted.length; g++) {
      double keep = Double.isFinite(variances[g]) ? prior / (prior + variances[g]) : 0;
      fitted[g] = Newton.clamp(pooled + keep * (fitted[g] - pooled), 0, MAX_SLOPE);
    }
    diagnostics.put("response_dispersion", dispersion);
    diagnostics.put("response_rows_per_target", points.overlap());
    diagnostics.put("response_prior_sd", Math.sqrt(prior));
    return new DiscountResponse(discountFeature, referenceFeature, referenceElasticity,
        groupFeature, fitted, pooled, ownSlopeFeature, ownVarianceFeature, tau2);
  }

  @Override
  public Map<String, Double> metrics(List<String> categories) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("reference_elasticity", referenceElasticity);
    m.put("response_pooled_slope", pooledSlope);
    for (int g = 0; g < slopes.length && g < categories.size(); g++) {
      m.put("response_slope_" + categories.get(g), slopes[g]);
    }
    if (ownSlopeFeature >= 0) {
      m.put("response_own_slope_prior_sd", Math.sqrt(priorVariance));
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiscountResponse r
        && r.discountFeature == discountFeature
        && r.referenceFeature == referenceFeature
        && Double.compare(r.referenceElasticity, referenceElasticity) == 0
        && r.groupFeature == groupFeature
        && Arrays.equals(r.slopes, slopes)
        && Double.compare(r.pooledSlope, pooledSlope) == 0
        && r.ownSlopeFeature == ownSlopeFeature
        && r.ownVarianceFeature == ownVarianceFeature
        && Double.compare(r.priorVariance, priorVariance) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        discountFeature, referenceFeature, referenceElasticity, groupFeature,
        Arrays.hashCode(slopes), pooledSlope, ownSlopeFeature, ownVarianceFeature, priorVariance);
  }

  @Override
  public String toString() {
    return "DiscountResponse" + hyperparameters();
  }
}
