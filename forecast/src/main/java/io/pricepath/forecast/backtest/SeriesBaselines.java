package io.pricepath.forecast.backtest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The weekly rows of one (article, market) series, ordered by week, and the two baselines
 * computed from them at a forecast origin. Only rows strictly before the origin are read to
 * forecast; rows at or after it supply the target weeks, their actual price and signals.
 *
 * <p>Regressors of a row: {@code log(black_price × (1 − discount))} followed by the weekly
 * {@code x_*} signals (0 when null).
 */
final class SeriesBaselines {
  /**
   * The baselines' forecasts of one target row.
   *
   * @param origin the forecast origin
   * @param h horizon: the target week is {@code origin + h − 1} weeks
   * @param week the target week
   * @param recentMean the recent-mean forecast
   * @param logLog the log-log elasticity forecast
   */
  record Forecast(LocalDate origin, int h, LocalDate week, double recentMean, double logLog) {}

  private final String category;
  private final String market;
  private final LocalDate[] weeks;
  private final double[] units;
  private final boolean[] censored;
  private final double[][] x;
  private final int size;

  /**
   * A series of {@code size} rows; the arrays are owned by it from now on.
   *
   * @param x regressors per row (log price, signals)
   */
  SeriesBaselines(
      String category,
      String market,
      LocalDate[] weeks,
      double[] units,
      boolean[] censored,
      double[][] x,
      int size) {
    this.category = category;
    this.market = market;
    this.weeks = weeks;
    this.units = units;
    this.censored = censored;
    this.x = x;
    this.size = size;
    for (int i = 1; i < size; i++) {
      if (!weeks[i].isAfter(weeks[i - 1])) {
        throw new IllegalArgumentException(
            "Cannot build series: weeks must be strictly ascending (%s after %s)"
                .formatted(weeks[i], weeks[i - 1]));
      }
    }
  }

  String category() {
    return category;
  }

  String market() {
    return market;
  }

  /** Index of the first row whose week is not before {@code week}. */
  private int lowerBound(LocalDate week) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (weeks[mid].isBefore(week)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Uncensored points of {@code [from, to)}: regressors into {@code px}, log(units + 1) into {@code py}. */
  private int points(LocalDate from, LocalDate to, double[][] px, double[] py) {
    int n = 0;
    for (int i = lowerBound(from), end = lowerBound(to); i < end; i++) {
      if (!censored[i]) {
        px[n] = x[i];
        py[n] = Math.log(units[i] + 1);
        n++;
      }
    }
    return n;
  }

  /**
   * Adds what this series says at {@code origin} to the category pools: its log-log points of the
   * {@code trainingWeeks} before the origin into {@code logLogPool} (see {@link
   * LogLogElasticity#pool}), and the sum and count of its uncensored units of the last {@link
   * RecentMean#WEEKS} weeks before the origin into {@code recent[0]} and {@code recent[1]}.
   */
  void contribute(LocalDate origin, int trainingWeeks, double[] logLogPool, double[] recent) {
    double[][] px = new double[size][];
    double[] py = new double[size];
    int n = points(origin.minusWeeks(trainingWeeks), origin, px, py);
    LogLogElasticity.addSeries(logLogPool, px, py, n);
    for (int i = lowerBound(origin.minusWeeks(RecentMean.WEEKS)), end = lowerBound(origin);
        i < end;
        i++) {
      if (!censored[i]) {
        recent[0] += units[i];
        recent[1] += 1;
      }
    }
  }

  /**
   * Both baselines for every row of this series in {@code [origin, origin + horizon)}.
   *
   * @param pooled the pooled log-log fit of the series' category at this origin (null: none)
   * @param fallbackMean the recent-mean forecast of a series without uncensored history
   */
  List<Forecast> forecast(
      LocalDate origin, int horizon, int trainingWeeks, LogLogElasticity.Fit pooled,
      double fallbackMean) {
    int start = lowerBound(origin);
    int end = lowerBound(origin.plusWeeks(horizon));
    List<Forecast> out = new ArrayList<>(end - start);
    if (start == end) {
      return out;
    }
    double recent = RecentMean.of(units, censored, start);
    if (Double.isNaN(recent)) {
      recent = fallbackMean;
    }
    double[][] px = new double[size][];
    double[] py = new double[size];
    int n = points(origin.minusWeeks(trainingWeeks), origin, px, py);
    int p = x[0].length;
    LogLogElasticity.Fit fit = LogLogElasticity.seriesFit(px, py, n, p, pooled);
    for (int i = start; i < end; i++) {
      int h = (int) java.time.temporal.ChronoUnit.WEEKS.between(origin, weeks[i]) + 1;
      double logLog = fit == null ? recent : fit.units(x[i]);
      out.add(new Forecast(origin, h, weeks[i], recent, logLog));
    }
    return out;
  }
}
