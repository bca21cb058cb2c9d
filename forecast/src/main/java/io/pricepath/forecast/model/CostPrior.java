package io.pricepath.forecast.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base margin of a booster on the label's own scale (identity link) that starts from a prior
 * read from one feature: {@code intercept + slope · prior}, and {@code unknown} for a row whose
 * prior is unknown. The fulfillment cost per unit starts from the article's own recent cost per
 * unit, so the trees learn only how a week departs from it (the discount's effect on returns,
 * and what the article's history does not show) instead of rebuilding each article's shipping
 * cost from its attributes, round after round.
 *
 * @param priorFeature index of the prior
 * @param intercept added to the scaled prior, finite
 * @param slope scales the prior, finite
 * @param unknown the margin of a row whose prior is unknown, finite
 */
public record CostPrior(int priorFeature, double intercept, double slope, double unknown)
    implements MarginTerm {
  private static final long serialVersionUID = 1L;

  static final String NAME = "cost_prior";

  public CostPrior {
    if (priorFeature < 0) {
      throw new IllegalArgumentException(
          "Cannot build a cost prior: its feature index must be >= 0 (%d)".formatted(priorFeature));
    }
    if (!Double.isFinite(intercept) || !Double.isFinite(slope) || !Double.isFinite(unknown)) {
      throw new IllegalArgumentException(
          "Cannot build a cost prior: intercept, slope and unknown must be finite (%s, %s, %s)"
              .formatted(intercept, slope, unknown));
    }
  }

  /** The prior as it stands, before any fit: the prior itself, 0 where it is unknown. */
  public static CostPrior of(int priorFeature) {
    return new CostPrior(priorFeature, 0, 1, 0);
  }

  static CostPrior read(TermParams p) {
    double intercept = p.number("intercept");
    double slope = p.number("slope");
    double unknown = p.number("unknown");
    if (!Double.isFinite(intercept) || !Double.isFinite(slope) || !Double.isFinite(unknown)) {
      throw p.fail("intercept, slope and unknown must be finite (%s, %s, %s)"
          .formatted(intercept, slope, unknown));
    }
    return new CostPrior(p.feature("prior_feature"), intercept, slope, unknown);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double margin(float[] features, int offset) {
    float prior = features[offset + priorFeature];
    return Float.isNaN(prior) ? unknown : intercept + slope * prior;
  }

  @Override
  public Map<String, String> hyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(TermParams.key(NAME, "prior_feature"), Integer.toString(priorFeature));
    h.put(TermParams.key(NAME, "intercept"), Double.toString(intercept));
    h.put(TermParams.key(NAME, "slope"), Double.toString(slope));
    h.put(TermParams.key(NAME, "unknown"), Double.toString(unknown));
    return h;
  }

  /**
   * Intercept and slope by weighted least squares of {@code label − rest} on the prior over the
   * points whose prior is known, and {@code unknown} the weighted mean of {@code label − rest}
   * over the others (over every point when all priors are known). Without spread in the known
   * priors, the slope stays 1 and the intercept takes the mean difference.
   */
  @Override
  public CostPrior refit(FitPoints points, double[] rest, Map<String, Double> diagnostics) {
    double[] known = new double[5]; // Σw, Σw·x, Σw·y, Σw·x², Σw·x·y
    double[] other = new double[2]; // Σw, Σw·y
    double[] all = new double[2];
    for (int i = 0; i < points.size(); i++) {
      double w = points.weights()[i];
      if (!(w > 0)) {
        continue;
      }
      double y = points.labels()[i] - rest[i];
      float x = points.features()[points.offset(i) + priorFeature];
      all[0] += w;
      all[1] += w * y;
      if (Float.isNaN(x)) {
        other[0] += w;
        other[1] += w * y;
      } else {
        known[0] += w;
        known[1] += w * x;
        known[2] += w * y;
        known[3] += w * x * x;
        known[4] += w * x * y;
      }
    }
    double a = intercept;
    double b = slope;
    if (known[0] > 0) {
      double mx = known[1] / known[0];
      double my = known[2] / known[0];
      double sxx = known[3] / known[0] - mx * mx;
      double sxy = known[4] / known[0] - mx * my;
      b = sxx > 1e-12 * Math.max(1, mx * mx) ? sxy / sxx : 1;
      a = my - b * mx;
    }
    double u = other[0] > 0 ? other[1] / other[0] : all[0] > 0 ? all[1] / all[0] : unknown;
    diagnostics.put("cost_prior_known_share", all[0] > 0 ? known[0] / all[0] : 0.0);
    return new CostPrior(priorFeature, a, b, u);
  }

  @Override
  public Map<String, Double> metrics(List<String> categories) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("cost_prior_intercept", intercept);
    m.put("cost_prior_slope", slope);
    m.put("cost_prior_unknown", unknown);
    return m;
  }
}
