package io.pricepath.forecast.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seasonal term of a demand booster: {@code log demand} gains {@code exponent · ln(ratio)},
 * where {@code ratio} is the week's category season ratio (how the same articles' regular sales
 * moved from the base level's weeks to the target week a year earlier). An unknown, zero or
 * negative ratio adds nothing. The exponent is learnt: 1 carries last year's turn over in full, 0
 * ignores it.
 *
 * @param feature index of the season ratio
 * @param exponent how much of last year's turn is carried over, in [0, 10]
 */
public record SeasonTerm(int feature, double exponent) implements MarginTerm {
  private static final long serialVersionUID = 1L;

  static final String NAME = "season";

  public SeasonTerm {
    if (feature < 0) {
      throw new IllegalArgumentException(
          "Cannot build a season term: its feature index must be >= 0 (%d)".formatted(feature));
    }
    if (!(exponent >= 0 && exponent <= 10)) {
      throw new IllegalArgumentException(
          "Cannot build a season term: its exponent must be in [0, 10] (%s)".formatted(exponent));
    }
  }

  static SeasonTerm read(TermParams p) {
    double exponent = p.number("exponent");
    if (!(exponent >= 0 && exponent <= 10)) {
      throw p.fail("season_exponent must be in [0, 10] (%s)".formatted(exponent));
    }
    return new SeasonTerm(p.feature("feature"), exponent);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** {@code ln(ratio)} of the feature row at {@code offset}, 0 when the ratio is not known. */
  public double logRatio(float[] features, int offset) {
    return Ratios.log(features[offset + feature]);
  }

  @Override
  public double margin(float[] features, int offset) {
    return exponent * logRatio(features, offset);
  }

  @Override
  public Map<String, String> hyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(TermParams.key(NAME, "feature"), Integer.toString(feature));
    h.put(TermParams.key(NAME, "exponent"), Double.toString(exponent));
    return h;
  }

  /** The exponent by Poisson maximum likelihood from the current one, in [0, 10]. */
  @Override
  public SeasonTerm refit(FitPoints points, double[] rest, Map<String, Double> diagnostics) {
    double[] z = new double[points.size()];
    for (int i = 0; i < z.length; i++) {
      z[i] = logRatio(points.features(), points.offset(i));
    }
    double fitted =
        Newton.poisson(z, rest, points.labels(), points.weights(), exponent, 0, 10).slopes()[0];
    return new SeasonTerm(feature, fitted);
  }

  @Override
  public Map<String, Double> metrics(List<String> categories) {
    return Map.of("season_exponent", exponent);
  }
}
