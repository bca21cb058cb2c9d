package io.pricepath.forecast.neural;

import io.pricepath.simulate.Sampling;
import java.util.SplittableRandom;

/**
 * Feature rows a network can learn from, no Spark: series with a base level in [1, 20], a
 * discount sensitivity of 1 or 3 and a return ratio in [0.1, 0.6] (their static features), each
 * with {@code weeksAhead} rows at random ladder discounts, Poisson units of mean {@code level ·
 * exp(sensitivity · discount)} and of them a binomial share returned at rate {@code σ(logit(ratio)
 * + 1.5 · discount)}. The vector: market, category and brand codes, the sensitivity, the base
 * level, the discount, the return ratio, then 4 weeks × the sequence block's channels of history (the level's log
 * units, known; the other channels 0).
 */
final class SyntheticSeries {
  static final int WEEKS = 4;
  static final int CHANNELS = io.pricepath.features.SequenceBlock.CHANNELS.size();
  static final int WIDTH = 7 + WEEKS * CHANNELS;
  static final double RETURN_SLOPE = 1.5;
  static final double[] LADDER = {0, 0.1, 0.2, 0.3, 0.4, 0.5};

  final float[] x;
  final double[] y;
  final double[] truth;
  /** Returned share of the units sold (0 where none sold). */
  final double[] returned;
  final double[] returnTruth;

  private SyntheticSeries(
      float[] x, double[] y, double[] truth, double[] returned, double[] returnTruth) {
    this.x = x;
    this.y = y;
    this.truth = truth;
    this.returned = returned;
    this.returnTruth = returnTruth;
  }

  static NetworkShape shape(int model, int heads, int layers) {
    return shape(model, heads, layers, false);
  }

  static NetworkShape shape(int model, int heads, int layers, boolean returnHead) {
    return shape(model, heads, layers, returnHead, 0);
  }

  /** With a reference elasticity (0: none). */
  static NetworkShape shape(
      int model, int heads, int layers, boolean returnHead, double elasticity) {
    return new NetworkShape(
        WIDTH, 7, WEEKS, CHANNELS, new int[] {3, 4, 6}, new int[] {0, 1, 2}, new int[] {2, 3, 1},
        5, 4, NetworkShape.KNOTS.clone(), model, heads, layers, elasticity, 6, returnHead);
  }

  static double returnRate(double ratio, double discount) {
    double z = StrictMath.log(ratio / (1 - ratio)) + RETURN_SLOPE * discount;
    return 1 / (1 + StrictMath.exp(-z));
  }

  /** The labels: units, and the returned share weighted by units sold. */
  Labels labels() {
    return new Labels(y, returned, y.clone());
  }

  static SyntheticSeries draw(int series, int weeksAhead, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = series * weeksAhead;
    float[] x = new float[n * WIDTH];
    double[] y = new double[n];
    double[] truth = new double[n];
    double[] returned = new double[n];
    double[] returnTruth = new double[n];
    for (int s = 0; s < series; s++) {
      double level = 1 + 19 * random.nextDouble();
      float sensitivity = random.nextBoolean() ? 1f : 3f;
      int market = random.nextInt(2);
      double ratio = 0.1 + 0.5 * random.nextDouble();
      for (int h = 0; h < weeksAhead; h++) {
        int r = s * weeksAhead + h;
        double d = LADDER[random.nextInt(LADDER.length)];
        row(x, r, market, sensitivity, level, d, ratio);
        truth[r] = level * StrictMath.exp(sensitivity * d);
        y[r] = Sampling.poisson(random, truth[r]);
        returnTruth[r] = returnRate(ratio, d);
        int back = 0;
        for (int u = 0; u < y[r]; u++) {
          back += random.nextDouble() < returnTruth[r] ? 1 : 0;
        }
        returned[r] = y[r] > 0 ? back / y[r] : 0;
      }
    }
    return new SyntheticSeries(x, y, truth, returned, returnTruth);
  }

  /** Writes one row: {@code r}'s vector for a series of {@code level} at {@code discount}. */
  static void row(float[] x, int r, int market, float sensitivity, double level, double discount) {
    row(x, r, market, sensitivity, level, discount, 0.3);
  }

  /** As {@link #row(float[], int, int, float, double, double)}, with the series' return ratio. */
  static void row(
      float[] x, int r, int market, float sensitivity, double level, double discount,
      double ratio) {
    int at = r * WIDTH;
    x[at] = market;
    x[at + 1] = 0;
    x[at + 2] = Float.NaN; // an unknown brand
    x[at + 3] = sensitivity;
    x[at + 4] = (float) level;
    x[at + 5] = (float) discount;
    x[at + 6] = (float) ratio;
    for (int t = 0; t < WEEKS; t++) {
      int w = at + 7 + t * CHANNELS;
      x[w] = (float) StrictMath.log1p(level);
      x[w + 3] = 1f;
    }
  }
}
