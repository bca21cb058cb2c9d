package io.pricepath.features;

/**
 * A series' own discount response, measured on its own weeks before the origin: the Poisson
 * regression {@code log mu = a + slope · discount + c · signalled + t · weeks back / 52} over its
 * uncensored weeks (a week with a weekly {@code x_*} signal is {@code signalled}; the trend takes
 * up a drifting level), weighted by {@value #DECAY}<sup>weeks back</sup>, and the variance of the
 * slope (the inverse Fisher information inflated by the series' Pearson dispersion). Unknown
 * ({@code NaN}) with fewer than {@value #MIN_WEEKS} weeks or too little price variation. Plain
 * numerics, no Spark.
 */
final class OwnResponse {
  /** Weekly decay of the weights: recent weeks count more. */
  static final double DECAY = 0.98;

  /** Fewest uncensored weeks with known units and discount. */
  static final int MIN_WEEKS = 8;

  /** Least weighted standard deviation of the discount over those weeks. */
  static final double MIN_DISCOUNT_SD = 0.01;

  private static final int ITERATIONS = 30;

  private OwnResponse() {}

  /**
   * {@code {slope, variance}} of the weeks of {@code units, discounts, censored, plain} (index =
   * weeks back; {@code NaN} units = no row), {@code {NaN, NaN}} when unknown.
   */
  static double[] of(double[] units, double[] discounts, double[] censored, double[] plain) {
    int n = Math.min(units.length, Math.min(discounts.length, censored.length));
    double[][] rows = new double[n][];
    int m = 0;
    int signalled = 0;
    double sw = 0;
    double sd = 0;
    double sdd = 0;
    for (int back = 0; back < n; back++) {
      if (Double.isNaN(units[back]) || censored[back] > 0 || Double.isNaN(discounts[back])) {
        continue;
      }
      boolean signal = back < plain.length && !(plain[back] > 0);
      double weight = Math.pow(DECAY, back);
      rows[m++] = new double[] {units[back], discounts[back], signal ? 1 : 0, back / 52.0, weight};
      signalled += signal ? 1 : 0;
      sw += weight;
      sd += weight * discounts[back];
      sdd += weight * discounts[back] * discounts[back];
    }
    double variance = sw > 0 ? sdd / sw - (sd / sw) * (sd / sw) : 0;
    if (m < MIN_WEEKS || !(variance >= MIN_DISCOUNT_SD * MIN_DISCOUNT_SD)) {
      return new double[] {Double.NaN, Double.NaN};
    }
    // the signal column only when both kinds of weeks are there
    int p = signalled > 0 && signalled < m ? 4 : 3;
    double mean = 0;
    for (int i = 0; i < m; i++) {
      mean += rows[i][4] * rows[i][0];
    }
    mean /= sw;
    double[] beta = new double[p];
    beta[0] = Math.log(Math.max(mean, 0.5));
    double[][] info = new double[p][p];
    for (int it = 0; it < ITERATIONS; it++) {
      double[] score = new double[p];
      info = new double[p][p];
      for (int i = 0; i < m; i++) {
        double[] z = design(rows[i], p);
        double eta = 0;
        for (int k = 0; k < p; k++) {
          eta += beta[k] * z[k];
        }
        double mu = Math.exp(Math.min(eta, 30));
        double w = rows[i][4];
        for (int k = 0; k < p; k++) {
          score[k] += w * z[k] * (rows[i][0] - mu);
          for (int l = 0; l < p; l++) {
            info[k][l] += w * z[k] * z[l] * mu;
          }
        }
      }
      double[] step = solve(info, score);
      if (step == null) {
        return new double[] {Double.NaN, Double.NaN};
      }
      double largest = 0;
      for (int k = 0; k < p; k++) {
        largest = Math.max(largest, Math.abs(step[k]));
      }
      double damp = largest > 2 ? 2 / largest : 1;
      for (int k = 0; k < p; k++) {
        beta[k] += damp * step[k];
      }
      if (largest < 1e-6) {
        break;
      }
    }
    double chi = 0;
    for (int i = 0; i < m; i++) {
      double[] z = design(rows[i], p);
      double eta = 0;
      for (int k = 0; k < p; k++) {
        eta += beta[k] * z[k];
      }
      double mu = Math.exp(Math.min(eta, 30));
      chi += rows[i][4] * (rows[i][0] - mu) * (rows[i][0] - mu) / Math.max(mu, 1e-9);
    }
    double dispersion = Math.max(1, chi / Math.max(1, sw * (m - p) / m));
    double[] unit = new double[p];
    unit[1] = 1;
    double[] column = solve(info, unit);
    if (column == null || !(column[1] > 0) || !Double.isFinite(beta[1])) {
      return new double[] {Double.NaN, Double.NaN};
    }
    return new double[] {beta[1], column[1] * dispersion};
  }

  private static double[] design(double[] row, int p) {
    return p == 4
        ? new double[] {1, row[1], row[3], row[2]}
        : new double[] {1, row[1], row[3]};
  }

  /** The solution of {@code a x = b} by Gaussian elimination with pivoting; null if singular. */
  static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, m[i], 0, n);
      m[i][n] = b[i];
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
          pivot = r;
        }
      }
      if (!(Math.abs(m[pivot][c]) > 1e-12)) {
        return null;
      }
      double[] t = m[c];
      m[c] = m[pivot];
      m[pivot] = t;
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = m[r][c] / m[c][c];
          for (int k = c; k <= n; k++) {
            m[r][k] -= f * m[c][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = m[i][n] / m[i][i];
    }
    return x;
  }
}
