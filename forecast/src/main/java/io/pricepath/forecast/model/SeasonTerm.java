package io.pricepath.forecast.model;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seasonal term of a demand booster: on top of its trees and base margin, {@code log demand}
 * gains {@code exponent · ln(ratio)}, where {@code ratio} is the week's category season ratio (how
 * the same articles' regular sales moved from the base level's weeks to the target week a year
 * earlier). An unknown, zero or negative ratio adds nothing. The exponent is learnt: 1 carries
 * last year's turn over in full, 0 ignores it.
 *
 * <p>It lives in the booster's provenance hyperparameters ({@link #hyperparameters}), so a saved
 * model carries it.
 *
 * @param feature index of the season ratio
 * @param exponent how much of last year's turn is carried over, in [0, 10]
 */
public record SeasonTerm(int feature, double exponent) implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String FEATURE = "season_feature";
  static final String EXPONENT = "season_exponent";

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

  /** {@code ln(ratio)} of the feature row at {@code offset}, 0 when the ratio is not known. */
  public double logRatio(float[] features, int offset) {
    float ratio = features[offset + feature];
    return ratio > 0 && Float.isFinite(ratio) ? Math.log(ratio) : 0;
  }

  /** The log factor of the feature row of {@code features} at {@code offset}. */
  public double logFactor(float[] features, int offset) {
    return exponent * logRatio(features, offset);
  }

  /** This term as provenance hyperparameters. */
  public Map<String, String> hyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(FEATURE, Integer.toString(feature));
    h.put(EXPONENT, Double.toString(exponent));
    return h;
  }

  /** The term that {@code hyperparameters} describe, or null when they describe none. */
  static SeasonTerm of(Map<String, String> hyperparameters, int featureCount) {
    if (!hyperparameters.containsKey(EXPONENT)) {
      return null;
    }
    try {
      SeasonTerm t =
          new SeasonTerm(
              Integer.parseInt(hyperparameters.get(FEATURE).trim()),
              Double.parseDouble(hyperparameters.get(EXPONENT).trim()));
      if (t.feature >= featureCount) {
        throw new IllegalArgumentException(
            "Cannot read the season term: feature %d is outside the model's %d features"
                .formatted(t.feature, featureCount));
      }
      return t;
    } catch (NullPointerException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot read the season term: its hyperparameters are incomplete or not numbers (%s)"
              .formatted(e.getMessage()),
          e);
    }
  }
}
