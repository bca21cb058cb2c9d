package io.pricepath.forecast.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The base margin of a demand booster: {@code log(1 + level)} of one feature, the recent regular
 * level (0 when it is missing or negative), so that the trees learn demand relative to it.
 *
 * @param feature index of the level
 */
public record BaseLevel(int feature) implements MarginTerm {
  private static final long serialVersionUID = 1L;

  /** The name; its one parameter is the legacy key {@value TargetModel#BASE_MARGIN_FEATURE}. */
  static final String NAME = "base_margin";

  public BaseLevel {
    if (feature < 0) {
      throw new IllegalArgumentException(
          "Cannot build a base level term: its feature index must be >= 0 (%d)".formatted(feature));
    }
  }

  static BaseLevel read(TermParams p) {
    return new BaseLevel(p.feature("feature"));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double margin(float[] features, int offset) {
    float level = features[offset + feature];
    return Float.isNaN(level) || level < 0 ? 0 : Math.log(1.0 + level);
  }

  @Override
  public Map<String, String> hyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(TermParams.key(NAME, "feature"), Integer.toString(feature));
    return h;
  }
}
