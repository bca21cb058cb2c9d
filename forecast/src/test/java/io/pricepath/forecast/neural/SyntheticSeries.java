package io.pricepath.forecast.neural;

import io.pricepath.simulate.Sampling;
import java.util.SplittableRandom;

/**
 * Feature rows a network can learn from, no Spark: series with a base level in [1, 20] and a
 * discount sensitivity of 1 or 3 (its only static feature), each with {@code weeksAhead} rows at
 * random ladder discounts and Poisson units of mean {@code level · exp(sensitivity · discount)}.
 * The vector: market, category and brand codes, the sensitivity, the base level, the discount,
 * then 4 weeks × 5 channels of history (the level's log units, known).
 */
final class SyntheticSeries {
  static final int WEEKS = 4;
  static final int CHANNELS = 5;
  static final int WIDTH = 6 + WEEKS * CHANNELS;
  static final double[] LADDER = {0, 0.1, 0.2, 0.3, 0.4, 0.5};

  final float[] x;
  final double[] y;
  final double[] truth;

  private SyntheticSeries(float[] x, double[] y, double[] truth) {
    this.x = x;
    this.y = y;
    this.truth = truth;
  }

  static NetworkShape shape(int model, int heads, int layers) {
    return new NetworkShape(
        WIDTH, 6, WEEKS, CHANNELS, new int[] {3, 4}, new int[] {0, 1, 2}, new int[] {2, 3, 1}, 5,
        4, NetworkShape.KNOTS.clone(), model, heads, layers, 0);
  }

  static SyntheticSeries draw(int series, int weeksAhead, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = series * weeksAhead;
    float[] x = new float[n * WIDTH];
    double[] y = new double[n];
    double[] truth = new double[n];
    for (int s = 0; s < series; s++) {
      double level = 1 + 19 * random.nextDouble();
      float sensitivity = random.nextBoolean() ? 1f : 3f;
      int market = random.nextInt(2);
      for (int h = 0; h < weeksAhead; h++) {
        int r = s * weeksAhead + h;
        double d = LADDER[random.nextInt(LADDER.length)];
        row(x, r, market, sensitivity, level, d);
        truth[r] = level * StrictMath.exp(sensitivity * d);
        y[r] = Sampling.poisson(random, truth[r]);
      }
    }
    return new SyntheticSeries(x, y, truth);
  }

  /** Writes one row: {@code r}'s vector for a series of {@code level} at {@code discount}. */
  static void row(float[] x, int r, int market, float sensitivity, double level, double discount) {
    int at = r * WIDTH;
    x[at] = market;
    x[at + 1] = 0;
    x[at + 2] = Float.NaN; // an unknown brand
    x[at + 3] = sensitivity;
    x[at + 4] = (float) level;
    x[at + 5] = (float) discount;
    for (int t = 0; t < WEEKS; t++) {
      int w = at + 6 + t * CHANNELS;
      x[w] = (float) StrictMath.log1p(level);
      x[w + 3] = 1f;
    }
  }
}
