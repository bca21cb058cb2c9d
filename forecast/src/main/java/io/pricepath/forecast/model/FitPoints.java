package io.pricepath.forecast.model;

import java.util.Objects;

/**
 * The training points a {@link MarginTerm} is refitted on, as plain arrays: feature rows
 * (row-major, {@code width} columns, {@code NaN} = missing), labels and weights.
 *
 * @param features {@code size · width} features
 * @param width columns per row
 * @param labels label per row
 * @param weights weight per row ({@code >= 0})
 * @param overlap rows per distinct target week (origins overlap, so one week is the target of
 *     several rows); it inflates the variance of the estimates that assume independent rows
 */
public record FitPoints(
    float[] features, int width, double[] labels, double[] weights, double overlap) {
  public FitPoints {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(weights, "weights");
    if (width < 1 || features.length != (long) labels.length * width
        || weights.length != labels.length) {
      throw new IllegalArgumentException(
          "Cannot build fit points: %d features, %d labels and %d weights do not make rows of %d"
              .formatted(features.length, labels.length, weights.length, width));
    }
    if (!(overlap >= 1)) {
      throw new IllegalArgumentException(
          "Cannot build fit points: the overlap (%s) must be >= 1".formatted(overlap));
    }
  }

  /** Number of points. */
  public int size() {
    return labels.length;
  }

  /** Offset of row {@code i} in {@link #features}. */
  public int offset(int i) {
    return i * width;
  }

  /** These points' rows {@code keep} (indexes into this one), in that order. */
  public FitPoints rows(int[] keep) {
    float[] f = new float[keep.length * width];
    double[] y = new double[keep.length];
    double[] w = new double[keep.length];
    for (int k = 0; k < keep.length; k++) {
      System.arraycopy(features, keep[k] * width, f, k * width, width);
      y[k] = labels[keep[k]];
      w[k] = weights[keep[k]];
    }
    return new FitPoints(f, width, y, w, overlap);
  }
}
