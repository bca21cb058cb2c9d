package io.pricepath.forecast.model;

/** Ratio features as the terms read them. */
final class Ratios {
  private Ratios() {}

  /** {@code ln(ratio)}, 0 when the ratio is unknown ({@code NaN}), not positive or infinite. */
  static double log(float ratio) {
    return ratio > 0 && Float.isFinite(ratio) ? Math.log(ratio) : 0;
  }

  /** Group code of a feature value: -1 when it is {@code NaN} or negative. */
  static int group(float code) {
    return Float.isNaN(code) || code < 0 ? -1 : (int) code;
  }
}
