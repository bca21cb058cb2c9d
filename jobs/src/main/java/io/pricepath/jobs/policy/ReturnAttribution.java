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
}
