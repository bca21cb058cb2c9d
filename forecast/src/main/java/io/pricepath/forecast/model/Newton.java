package io.pricepath.forecast.model;

import java.util.Arrays;

/**
 * Maximum-likelihood fits by Newton's method on plain arrays, with an offset per point: the
 * numerics behind {@link MarginTerm#refit}. Steps are damped to at most 1 and the parameters kept
 * in a box.
 */
final class Newton {
  static final int ITERATIONS = 25;
  private static final double TOLERANCE = 1e-6;

  private Newton() {}

  /**
   * Slopes and their Fisher information.
   *
   * @param slopes slope per group
   * @param information Fisher information per group (0 for a group without information)
   */
  record Grouped(double[] slopes, double[] information) {}

  /**
   * The slope {@code s[g]} of {@code log mu = offset + s[g] · z} for each group {@code g} in [0,
   * groups) of the points (a point of group -1 or beyond takes no part), Poisson maximum
   * likelihood with weights {@code w}; each starts at {@code start} and is kept in [lo, hi].
   */
  static Grouped poissonByGroup(
      int[] group, double[] z, double[] offset, double[] y, double[] w, int groups, double start,
      double lo, double hi) {
    double[] s = new double[groups];
    Arrays.fill(s, start);
    double[] information = new double[groups];
    boolean[] done = new boolean[groups];
    for (int it = 0; it < ITERATIONS; it++) {
      double[] score = new double[groups];
      double[] info = new double[groups];
      for (int i = 0; i < y.length; i++) {
        int g = group[i];
        if (g < 0 || g >= groups || done[g] || z[i] == 0 || !(w[i] > 0)) {
          continue;
        }
        double mu = Math.exp(offset[i] + s[g] * z[i]);
        score[g] += w[i] * z[i] * (y[i] - mu);
        info[g] += w[i] * z[i] * z[i] * mu;
      }
      boolean open = false;
      for (int g = 0; g < groups; g++) {
        if (done[g]) {
          continue;
        }
        information[g] = info[g] > 1e-9 ? info[g] : 0;
        if (information[g] == 0) {
          done[g] = true;
          continue;
        }
        double next = clamp(s[g] + clamp(score[g] / info[g], -1, 1), lo, hi);
        done[g] = Math.abs(next - s[g]) < TOLERANCE;
        s[g] = next;
        open |= !done[g];
      }
      if (!open) {
        break;
      }
    }
    return new Grouped(s, information);
  }

  /** {@link #poissonByGroup} with every point in one group. */
  static Grouped poisson(
      double[] z, double[] offset, double[] y, double[] w, double start, double lo, double hi) {
    return poissonByGroup(new int[y.length], z, offset, y, w, 1, start, lo, hi);
  }

  /** The weighted Poisson log-likelihood of {@code log mu = offset} (without the log y! terms). */
  static double poissonLogLikelihood(double[] offset, double[] y, double[] w) {
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      sum += w[i] * (y[i] * offset[i] - Math.exp(offset[i]));
    }
    return sum;
  }

  /**
   * Pearson dispersion {@code Σ w (y − mu)² / mu / Σ w} of {@code log mu = offset}, at least 1.
   */
  static double pearsonDispersion(double[] offset, double[] y, double[] w) {
    double chi = 0;
    double weight = 0;
    for (int i = 0; i < y.length; i++) {
      double mu = Math.exp(offset[i]);
      chi += w[i] * (y[i] - mu) * (y[i] - mu) / Math.max(mu, 1e-12);
      weight += w[i];
    }
    return Math.max(1, chi / Math.max(1, weight));
  }

  /**
   * {@code (a, b)} of {@code logit p = offset + a + b · x}, logistic maximum likelihood over
   * labels {@code y} in [0, 1] with weights {@code w}, from (0, 0); kept in [-10, 10].
   */
  static double[] logistic(double[] x, double[] offset, double[] y, double[] w) {
    double a = 0;
    double b = 0;
    for (int it = 0; it < ITERATIONS; it++) {
      double ga = 0;
      double gb = 0;
      double haa = 0;
      double hab = 0;
      double hbb = 0;
      for (int i = 0; i < y.length; i++) {
        double p = 1 / (1 + Math.exp(-(offset[i] + a + b * x[i])));
        double v = w[i] * p * (1 - p);
        double r = w[i] * (y[i] - p);
        ga += r;
        gb += r * x[i];
        haa += v;
        hab += v * x[i];
        hbb += v * x[i] * x[i];
      }
      double det = haa * hbb - hab * hab;
      double da;
      double db;
      if (det > 1e-12 * Math.max(1, haa * hbb)) {
        da = (hbb * ga - hab * gb) / det;
        db = (haa * gb - hab * ga) / det;
      } else if (haa > 1e-12) {
        da = ga / haa;
        db = 0;
      } else {
        break;
      }
      da = clamp(da, -1, 1);
      db = clamp(db, -1, 1);
      a = clamp(a + da, -10, 10);
      b = clamp(b + db, -10, 10);
      if (Math.abs(da) < 1e-7 && Math.abs(db) < 1e-7) {
        break;
      }
    }
    return new double[] {a, b};
  }

  static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
