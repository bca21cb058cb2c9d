package io.pricepath.forecast.backtest;

/**
 * The recent-mean naive forecast: the mean units of the last {@link #WEEKS} uncensored weeks of a
 * series before the origin, the same for every week of the horizon and every discount.
 */
final class RecentMean {
  private RecentMean() {}

  /** Uncensored weeks the mean covers. */
  static final int WEEKS = 4;

  /**
   * Mean of {@code units} over the last {@link #WEEKS} uncensored entries of {@code [0, end)}
   * (ordered by week); NaN when there is none.
   */
  static double of(double[] units, boolean[] censored, int end) {
    double sum = 0;
    int count = 0;
    for (int i = end - 1; i >= 0 && count < WEEKS; i--) {
      if (!censored[i]) {
        sum += units[i];
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }
}
