package io.pricepath.features;

/**
 * A series' own response, measured on its own weeks before the origin: the negative-binomial
 * regression {@code log mu = a + slope · discount + b · log(black price / origin black price) + t
 * · weeks back / 52 + Σ c_k · signal_k} over its uncensored weeks (the black price takes up
 * permanent price changes, the trend a drifting level; a covariate enters only when it varies),
 * weighted by {@value #DECAY}<sup>weeks back</sup>, with a weak ridge ({@value #RIDGE}) on all but
 * the intercept.
 *
 * <p>The variance {@code mu + φ·mu²} ({@code φ =} {@value #DISPERSION}) makes the fit Poisson for
 * small counts and a least-squares fit of log units for large ones, so that a few promoted weeks
 * of thousands of units do not outweigh the rest of the year in the slopes (on the real sets a
 * Poisson fit of the same regression forecasts up to 1.8 times worse).
 *
 * <p>It gives the slope and its variance (the inverse Fisher information times the Pearson scale
 * of the assumed variance, below 1 where counts are nearer Poisson), the log level (no discount,
 * no signal, the origin's black price, at the weighted centre of its weeks) and the signal
 * coefficients. Unknown with fewer than {@value #MIN_WEEKS} weeks; the slope is unknown with too
 * little price variation. Plain numerics, no Spark.
 */
final class OwnResponse {
  /** Weekly decay of the weights: recent weeks count more. */
  static final double DECAY = 0.99;

  /** Fewest uncensored weeks with known units and discount. */
  static final int MIN_WEEKS = 8;

  /** Least weighted standard deviation of the discount for a slope. */
  static final double MIN_DISCOUNT_SD = 0.01;

  /**
   * Ridge penalty on the coefficients but the intercept (a weak prior: a week of a large series
   * weighs about 1/{@value #DISPERSION} in the information).
   */
  static final double RIDGE = 1e-3;

  /** The negative-binomial dispersion {@code φ} of the variance {@code mu + φ·mu²}. */
  static final double DISPERSION = 1.0;

  private static final int ITERATIONS = 30;

  /** Columns of a row: units, weight, discount, trend, log black price, then the signals. */
  private static final int SIGNAL0 = 5;

  /** The fit of one series; every field {@code NaN} (lifts 0) when unknown. */
  record Fit(double slope, double slopeVariance, double logLevel, double[] lifts) {
    static Fit unknown(int signals) {
      return new Fit(Double.NaN, Double.NaN, Double.NaN, new double[signals]);
    }

    boolean known() {
      return !Double.isNaN(logLevel);
    }
  }

  private OwnResponse() {}

  /**
   * {@link #fit} on the recent weeks of a state with {@code signals} weekly signals and the black
   * price {@code originBlack} at its origin.
   */
  static Fit fit(OriginState.RecentWeeks weeks, double originBlack, int signals) {
    return fit(
        weeks.units(), weeks.discounts(), weeks.censored(), weeks.signals(), weeks.blackPrices(),
        originBlack, signals);
  }

  /** {@link #fit} without black prices. */
  static Fit fit(
      double[] units, double[] discounts, double[] censored, double[][] signalValues,
      int signals) {
    return fit(units, discounts, censored, signalValues, new double[0], Double.NaN, signals);
  }

  /**
   * The fit of the weeks of {@code units, discounts, censored}, their signal values and black
   * prices (index = weeks back; {@code NaN} units = no row; a missing signal row reads as 0, a
   * missing black price as the origin's), the black price at the origin {@code originBlack}.
   */
  static Fit fit(
      double[] units, double[] discounts, double[] censored, double[][] signalValues,
      double[] blackPrices, double originBlack, int signals) {
    int n = Math.min(units.length, Math.min(discounts.length, censored.length));
    double[][] rows = new double[n][];
    int m = 0;
    double sw = 0;
    for (int back = 0; back < n; back++) {
      if (Double.isNaN(units[back]) || censored[back] > 0 || Double.isNaN(discounts[back])) {
        continue;
      }
      double[] row = new double[SIGNAL0 + signals];
      row[0] = units[back];
      row[1] = Math.pow(DECAY, back);
      row[2] = discounts[back];
      row[3] = back / 52.0;
      double black = back < blackPrices.length ? blackPrices[back] : Double.NaN;
      row[4] = black > 0 && originBlack > 0 ? Math.log(black / originBlack) : 0;
      double[] x = back < signalValues.length ? signalValues[back] : null;
      for (int k = 0; k < signals; k++) {
        row[SIGNAL0 + k] = x != null && k < x.length ? x[k] : 0;
      }
      rows[m++] = row;
      sw += row[1];
    }
    if (m < MIN_WEEKS) {
      return Fit.unknown(signals);
    }
    // columns of the design: intercept, then each covariate that varies
    int[] covariates = new int[SIGNAL0 - 1 + signals];
    int p = 0;
    covariates[p++] = -1;
    boolean hasSlope = sd(rows, m, sw, 2) >= MIN_DISCOUNT_SD;
    if (hasSlope) {
      covariates[p++] = 2;
    }
    covariates[p++] = 3;
    if (sd(rows, m, sw, 4) > 1e-3) {
      covariates[p++] = 4;
    }
    for (int k = 0; k < signals; k++) {
      if (sd(rows, m, sw, SIGNAL0 + k) > 1e-3) {
        covariates[p++] = SIGNAL0 + k;
      }
    }
    double mean = 0;
    for (int i = 0; i < m; i++) {
      mean += rows[i][1] * rows[i][0];
    }
    double[] beta = new double[p];
    beta[0] = Math.log(Math.max(mean / sw, 0.5));
    double[][] info = new double[p][p];
    for (int it = 0; it < ITERATIONS; it++) {
      double[] score = new double[p];
      info = new double[p][p];
      for (int j = 1; j < p; j++) {
        score[j] -= RIDGE * beta[j];
        info[j][j] += RIDGE;
      }
      for (int i = 0; i < m; i++) {
        double mu = Math.exp(Math.min(eta(rows[i], covariates, beta, p), 30));
        double w = rows[i][1] / (1 + DISPERSION * mu);
        for (int k = 0; k < p; k++) {
          double zk = value(rows[i], covariates[k]);
          score[k] += w * zk * (rows[i][0] - mu);
          for (int l = 0; l < p; l++) {
            info[k][l] += w * zk * value(rows[i], covariates[l]) * mu;
          }
        }
      }
      double[] step = solve(info, score);
      if (step == null) {
        return Fit.unknown(signals);
      }
      double largest = 0;
      for (double s : step) {
        largest = Math.max(largest, Math.abs(s));
      }
      double damp = largest > 2 ? 2 / largest : 1;
      for (int k = 0; k < p; k++) {
        beta[k] += damp * step[k];
      }
      if (largest < 1e-7) {
        break;
      }
    }
    double chi = 0;
    for (int i = 0; i < m; i++) {
      double mu = Math.exp(Math.min(eta(rows[i], covariates, beta, p), 30));
      double variance = Math.max(mu * (1 + DISPERSION * mu), 1e-9);
      chi += rows[i][1] * (rows[i][0] - mu) * (rows[i][0] - mu) / variance;
    }
    // the Pearson scale of the assumed variance (below 1 where the counts are nearer Poisson)
    double dispersion = Math.max(1e-3, chi / Math.max(1, sw * (m - p) / m));
    double slope = Double.NaN;
    double variance = Double.NaN;
    double[] lifts = new double[signals];
    for (int k = 1; k < p; k++) {
      if (covariates[k] == 2) {
        double[] unit = new double[p];
        unit[k] = 1;
        double[] column = solve(info, unit);
        if (column != null && column[k] > 0 && Double.isFinite(beta[k])) {
          slope = beta[k];
          variance = column[k] * dispersion;
        }
      } else if (covariates[k] >= SIGNAL0) {
        lifts[covariates[k] - SIGNAL0] = Double.isFinite(beta[k]) ? beta[k] : 0;
      }
    }
    // the level at the weeks' weighted centre, not extrapolated along the trend
    double centre = 0;
    for (int i = 0; i < m; i++) {
      centre += rows[i][1] * rows[i][3];
    }
    double level = beta[0] + trend(covariates, beta, p) * centre / sw;
    return Double.isFinite(level)
        ? new Fit(slope, variance, level, lifts)
        : Fit.unknown(signals);
  }

  private static double trend(int[] covariates, double[] beta, int p) {
    for (int k = 0; k < p; k++) {
      if (covariates[k] == 3) {
        return beta[k];
      }
    }
    return 0;
  }

  private static double value(double[] row, int covariate) {
    return covariate < 0 ? 1 : row[covariate];
  }

  private static double eta(double[] row, int[] covariates, double[] beta, int p) {
    double eta = 0;
    for (int k = 0; k < p; k++) {
      eta += beta[k] * value(row, covariates[k]);
    }
    return eta;
  }

  /** Weighted standard deviation of column {@code c} of the rows. */
  private static double sd(double[][] rows, int m, double sw, int c) {
    double s = 0;
    double ss = 0;
    for (int i = 0; i < m; i++) {
      s += rows[i][1] * rows[i][c];
      ss += rows[i][1] * rows[i][c] * rows[i][c];
    }
    double v = ss / sw - (s / sw) * (s / sw);
    return v > 0 ? Math.sqrt(v) : 0;
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
