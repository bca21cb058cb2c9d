package io.pricepath.forecast.backtest;

import java.io.Serializable;

/**
 * The log-log price-elasticity baseline: {@code log(units + 1) = a + b·log(price) + Σ c_k·x_k},
 * fitted per series by ridge regression, with a pooled (category-level) fit behind it.
 *
 * <p>The pooled fit estimates the slopes from the within-series variation of every series of a
 * category (fixed effects: each series centred on its own means, so that expensive articles
 * selling less does not pass for elasticity), ridge-regularised by {@link #POOLED_RIDGE} towards
 * 0. A series with at least {@link #MIN_POINTS} points gets its own slopes, ridge-regularised by
 * {@link #SERIES_RIDGE} towards the pooled slopes (a series without price variation keeps the
 * pooled elasticity); a series with fewer points takes the pooled slopes. The intercept is the
 * series' own level given the slopes, or the pooled level for a series without points. Units are
 * predicted as {@code s·exp(a + b·x) − 1} (at least 0), {@code s} the series' smearing factor
 * (Duan: the mean of {@code exp(residual)}), which undoes the bias of back-transforming a mean
 * of logs; 1 without points.
 *
 * <p>Points are rows {@code x} of {@code p} regressors (log price first, then the signals).
 */
final class LogLogElasticity {
  private LogLogElasticity() {}

  /** Series with fewer points take the pooled slopes. */
  static final int MIN_POINTS = 8;

  /** Ridge penalty of a series' slopes towards the pooled slopes (in squared log units). */
  static final double SERIES_RIDGE = 1.0;

  /** Ridge penalty of the pooled slopes towards 0. */
  static final double POOLED_RIDGE = 1e-3;

  /**
   * A fitted equation.
   *
   * @param intercept {@code a}
   * @param slopes {@code b, c_1, …}
   * @param smearing Duan's smearing factor ({@code >= 1} on the fitted points)
   */
  record Fit(double intercept, double[] slopes, double smearing) implements Serializable {
    Fit {
      slopes = slopes.clone();
    }

    /** Predicted units at regressors {@code x} (at least 0). */
    double units(double[] x) {
      double eta = intercept;
      for (int k = 0; k < slopes.length; k++) {
        eta += slopes[k] * x[k];
      }
      return Math.max(0.0, smearing * Math.exp(eta) - 1.0);
    }

    /** The price elasticity {@code b}. */
    double elasticity() {
      return slopes[0];
    }
  }

  /**
   * An empty pool of {@code p} regressors: a flat array {@code [n, Σy, Σx (p), w (p), W (p×p)]}
   * with {@code W, w} the within-series cross-products; pools add element-wise.
   */
  static double[] pool(int p) {
    return new double[2 + 2 * p + p * p];
  }

  /** Adds the first {@code count} points of one series to {@code pool}. */
  static void addSeries(double[] pool, double[][] x, double[] y, int count) {
    if (count == 0) {
      return;
    }
    int p = regressors(pool);
    double[] mx = new double[p];
    double my = 0;
    for (int i = 0; i < count; i++) {
      for (int k = 0; k < p; k++) {
        mx[k] += x[i][k];
      }
      my += y[i];
    }
    pool[0] += count;
    pool[1] += my;
    for (int k = 0; k < p; k++) {
      pool[2 + k] += mx[k];
      mx[k] /= count;
    }
    my /= count;
    for (int i = 0; i < count; i++) {
      for (int k = 0; k < p; k++) {
        double dk = x[i][k] - mx[k];
        pool[2 + p + k] += dk * (y[i] - my);
        for (int j = 0; j < p; j++) {
          pool[2 + 2 * p + k * p + j] += dk * (x[i][j] - mx[j]);
        }
      }
    }
  }

  /** Adds {@code from} to {@code into}, element-wise. */
  static void merge(double[] into, double[] from) {
    if (into.length != from.length) {
      throw new IllegalArgumentException(
          "Cannot merge pools: lengths differ (%d, %d)".formatted(into.length, from.length));
    }
    for (int i = 0; i < into.length; i++) {
      into[i] += from[i];
    }
  }

  /** The pooled fit of {@code pool}; null when it holds no point. */
  static Fit pooledFit(double[] pool) {
    int p = regressors(pool);
    double n = pool[0];
    if (n <= 0) {
      return null;
    }
    double[] w = new double[p];
    double[] a = new double[p * p];
    System.arraycopy(pool, 2 + p, w, 0, p);
    System.arraycopy(pool, 2 + 2 * p, a, 0, p * p);
    double[] slopes = ridge(a, w, new double[p], POOLED_RIDGE, p);
    double level = pool[1];
    for (int k = 0; k < p; k++) {
      level -= slopes[k] * pool[2 + k];
    }
    return new Fit(level / n, slopes, 1.0);
  }

  /**
   * The fit of one series from its first {@code count} points ({@code p} regressors each), with
   * {@code pooled} (may be null: slopes 0) behind it; {@code pooled} itself when the series has no
   * point, null when both are missing.
   */
  static Fit seriesFit(double[][] x, double[] y, int count, int p, Fit pooled) {
    if (count == 0) {
      return pooled;
    }
    double[] prior = pooled == null ? new double[p] : pooled.slopes();
    double[] slopes;
    double[] mx = new double[p];
    double my = 0;
    for (int i = 0; i < count; i++) {
      for (int k = 0; k < p; k++) {
        mx[k] += x[i][k] / count;
      }
      my += y[i] / count;
    }
    if (count >= MIN_POINTS) {
      double[] pool = pool(p);
      addSeries(pool, x, y, count);
      double[] w = new double[p];
      double[] a = new double[p * p];
      System.arraycopy(pool, 2 + p, w, 0, p);
      System.arraycopy(pool, 2 + 2 * p, a, 0, p * p);
      slopes = ridge(a, w, prior, SERIES_RIDGE, p);
    } else {
      slopes = prior.clone();
    }
    double intercept = my;
    for (int k = 0; k < p; k++) {
      intercept -= slopes[k] * mx[k];
    }
    double smearing = 0;
    for (int i = 0; i < count; i++) {
      double eta = intercept;
      for (int k = 0; k < p; k++) {
        eta += slopes[k] * x[i][k];
      }
      smearing += Math.exp(y[i] - eta);
    }
    return new Fit(intercept, slopes, smearing / count);
  }

  /** Solves {@code (A + λI) b = w + λ·prior} ({@code A} symmetric positive semi-definite). */
  static double[] ridge(double[] a, double[] w, double[] prior, double lambda, int p) {
    double[] m = a.clone();
    double[] rhs = new double[p];
    for (int k = 0; k < p; k++) {
      m[k * p + k] += lambda;
      rhs[k] = w[k] + lambda * prior[k];
    }
    // Cholesky: m = L L^T, L stored in the lower triangle of l
    double[] l = new double[p * p];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j <= i; j++) {
        double s = m[i * p + j];
        for (int k = 0; k < j; k++) {
          s -= l[i * p + k] * l[j * p + k];
        }
        if (i == j) {
          l[i * p + i] = Math.sqrt(Math.max(s, 1e-12));
        } else {
          l[i * p + j] = s / l[j * p + j];
        }
      }
    }
    double[] z = new double[p];
    for (int i = 0; i < p; i++) {
      double s = rhs[i];
      for (int k = 0; k < i; k++) {
        s -= l[i * p + k] * z[k];
      }
      z[i] = s / l[i * p + i];
    }
    double[] b = new double[p];
    for (int i = p - 1; i >= 0; i--) {
      double s = z[i];
      for (int k = i + 1; k < p; k++) {
        s -= l[k * p + i] * b[k];
      }
      b[i] = s / l[i * p + i];
    }
    return b;
  }

  private static int regressors(double[] pool) {
    // length = 2 + 2p + p^2 = (p + 1)^2 + 1
    int p = (int) Math.round(Math.sqrt(pool.length - 1)) - 1;
    if (p < 1 || 2 + 2 * p + p * p != pool.length) {
      throw new IllegalArgumentException(
          "Cannot read pool: length %d is not 2 + 2p + p^2".formatted(pool.length));
    }
    return p;
  }
}
