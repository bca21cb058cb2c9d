package io.pricepath.jobs.policy;

/**
 * Which sale week the returns arriving in a week came from, for the {@code returns/} rows of a
 * policy's realised history. The simulator reports, per week, the units returned out of that
 * week's sales (whenever they arrive) and the returns arriving at its start, not the split by
 * lag; this assigns arrivals to the oldest sale week with returns still outstanding (first in,
 * first out), which meets every sale week's total since no return arrives more than {@code
 * maxLag} weeks after its sale. Arrivals of history sales ({@code pending}) are taken out first.
 */
final class ReturnAttribution {
  private ReturnAttribution() {}

  /**
   * Units returned from sale week {@code s} arriving in week {@code t}, as {@code [s][t]}.
   *
   * @param returns per sale week: units returned out of its sales
   * @param arrivals per week: units returned arriving at its start (history returns included)
   * @param pending per week from the first: arriving returns of sales before the first week
   * @param maxLag longest return lag in weeks
   */
  static double[][] allocate(double[] returns, double[] arrivals, long[] pending, int maxLag) {
    if (returns.length != arrivals.length) {
      throw new IllegalArgumentException("Cannot attribute returns: %d sale weeks but %d arrival weeks"
          .formatted(returns.length, arrivals.length));
    }
    int weeks = returns.length;
    double[] outstanding = returns.clone();
    double[][] split = new double[weeks][weeks];
    for (int t = 0; t < weeks; t++) {
      double left = arrivals[t] - (t < pending.length ? pending[t] : 0);
      for (int s = Math.max(0, t - maxLag); s < t && left > 1e-9; s++) {
        double take = Math.min(outstanding[s], left);
        if (take > 0) {
          split[s][t] = take;
          outstanding[s] -= take;
          left -= take;
        }
      }
    }
    return split;
  }

  /**
   * Whole units returned from sale week {@code s} arriving in week {@code t} of {@code split}:
   * rounded on the cumulative arrivals of the sale week, so that a sale week's whole returns add up
   * to its rounded total, however thinly they are spread over the weeks (expected demand).
   */
  static long units(double[][] split, int s, int t) {
    double before = 0;
    for (int u = 0; u < t; u++) {
      before += split[s][u];
    }
    return Math.round(before + split[s][t]) - Math.round(before);
  }

  /**
   * The sale weeks of {@code units} history returns arriving in week {@code t} of the season
   * ({@code pending[t]}): index {@code j − 1} holds the units sold {@code j} weeks before the
   * season's first week, {@code j = 1 … maxLag − t} (a return arrives at most {@code maxLag} weeks
   * after its sale), shared in proportion to the probability of lag {@code t + j} and rounded so
   * that they add up to {@code units}.
   */
  static long[] history(long units, int t, double[] lagProbabilities) {
    int maxLag = lagProbabilities.length;
    int weeks = Math.max(0, maxLag - t);
    long[] out = new long[weeks];
    if (units <= 0 || weeks == 0) {
      return out;
    }
    double total = 0;
    for (int j = 1; j <= weeks; j++) {
      total += lagProbabilities[t + j - 1];
    }
    double[] share = new double[weeks];
    long given = 0;
    for (int j = 1; j <= weeks; j++) {
      share[j - 1] = total > 0 ? units * lagProbabilities[t + j - 1] / total : (double) units / weeks;
      out[j - 1] = (long) Math.floor(share[j - 1]);
      given += out[j - 1];
    }
    // largest remainders first
    while (given < units) {
      int best = 0;
      for (int j = 1; j < weeks; j++) {
        if (share[j] - out[j] > share[best] - out[best]) {
          best = j;
        }
      }
      out[best]++;
      share[best] = out[best]; // taken
      given++;
    }
    return out;
  }
}
