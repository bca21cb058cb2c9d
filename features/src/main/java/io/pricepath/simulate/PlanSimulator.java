package io.pricepath.simulate;

import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Replays one article-market's plan against its truth, week by week from the plan week, in plain
 * Java.
 *
 * <p>Per week t: returns due in t are added to stock at its start ({@code stockStart = previous
 * stockEnd + returnsIn}); units = min(demand, stockStart), demand being the true expected
 * demand (expected mode) or a gamma-Poisson draw around it; returns = units × true return rate
 * (or a binomial draw), split over the 1–4-week lags; revenue = price × (units − returns);
 * fulfillment cost = units × true cost per unit (times mean-one noise when drawing); profit =
 * revenue − fulfillment cost; stockEnd = stockStart − units. Weeks after the exit week sell
 * nothing and take in no returns. The stock left after the last plan week or the exit week,
 * whichever comes first, plus every return arriving after it, is worth the residual value.
 */
final class PlanSimulator {
  private PlanSimulator() {}

  /** Week-by-week outcome of one article-market, arrays indexed by plan week. */
  record Outcome(
      double[] stockStart,
      double[] returnsIn,
      double[] units,
      double[] returns,
      double[] revenue,
      double[] fulfillmentCost,
      double[] profit,
      double[] stockEnd,
      double[] residualValue) {}

  /**
   * @param truth the article-market's truth, with its state at the plan week
   * @param planWeek first plan week
   * @param discount discount per plan week, from the plan week on, each in [0, 1)
   * @param promo x_promo per plan week
   * @param rng random stream, or null for expected values
   */
  static Outcome simulate(
      TruthParams truth, LocalDate planWeek, double[] discount, double[] promo, SplittableRandom rng) {
    int weeks = discount.length;
    double[] stockStart = new double[weeks];
    double[] returnsIn = new double[weeks];
    double[] units = new double[weeks];
    double[] returns = new double[weeks];
    double[] revenue = new double[weeks];
    double[] cost = new double[weeks];
    double[] profit = new double[weeks];
    double[] stockEnd = new double[weeks];
    double[] residual = new double[weeks];
    double[] arrivals = new double[weeks + TruthParams.MAX_RETURN_LAG + 1];
    for (int i = 0; i < truth.pendingReturns().length; i++) {
      arrivals[i] += truth.pendingReturns()[i];
    }
    double stock = truth.startStock();
    int lastOnSale = -1;
    for (int t = 0; t < weeks; t++) {
      LocalDate week = planWeek.plusWeeks(t);
      boolean onSale = !week.isAfter(truth.exitWeek());
      if (onSale) {
        lastOnSale = t;
        returnsIn[t] = arrivals[t];
        arrivals[t] = 0;
        stock += returnsIn[t];
      }
      stockStart[t] = stock;
      if (onSale && stock > 0) {
        double d = discount[t];
        double mean = GroundTruth.expectedDemand(truth, week, d, promo[t]);
        double rate = GroundTruth.returnRate(truth, d);
        double price = truth.blackPrice() * (1 - d);
        double perUnit = GroundTruth.fulfillmentCostPerUnit(truth, d);
        if (rng == null) {
          units[t] = Math.min(mean, stock);
          returns[t] = units[t] * rate;
          double[] lags = truth.returnLagProbabilities();
          for (int lag = 1; lag <= lags.length; lag++) {
            arrivals[t + lag] += returns[t] * lags[lag - 1];
          }
          cost[t] = units[t] * perUnit;
        } else {
          long sold = Math.min(Sampling.negativeBinomial(rng, mean, truth.dispersion()), (long) stock);
          long returned = Sampling.binomial(rng, sold, rate);
          long[] byLag = Sampling.multinomial(rng, returned, truth.returnLagProbabilities());
          for (int lag = 1; lag <= byLag.length; lag++) {
            arrivals[t + lag] += byLag[lag - 1];
          }
          units[t] = sold;
          returns[t] = returned;
          cost[t] = sold * perUnit * Sampling.meanOneNoise(rng, truth.costNoise());
        }
        revenue[t] = price * (units[t] - returns[t]);
        profit[t] = revenue[t] - cost[t];
        stock -= units[t];
      }
      stockEnd[t] = stock;
    }
    if (weeks > 0) {
      // Stock left after the last week on sale, and every return arriving after it.
      double left = lastOnSale >= 0 ? stockEnd[lastOnSale] : truth.startStock();
      double late = 0;
      for (int i = lastOnSale + 1; i < arrivals.length; i++) {
        late += arrivals[i];
      }
      residual[weeks - 1] = (left + late) * GroundTruth.residualValuePerUnit(truth);
    }
    return new Outcome(
        stockStart, returnsIn, units, returns, revenue, cost, profit, stockEnd, residual);
  }
}
