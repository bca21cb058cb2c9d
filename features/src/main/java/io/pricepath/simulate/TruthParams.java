package io.pricepath.simulate;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;

/**
 * The true parameters of one article in one market, as the simulator drew them, and the state it
 * left at the plan week. The functions of {@link GroundTruth} turn them into demand, return,
 * cost and residual-value figures.
 *
 * <p>Stock convention: {@code stock_on_hand} of a week counts the units that arrive at its
 * start (the initial buy, a replenishment, returns whose {@code return_week} is that week), so
 * the stock carried into the plan week is the last history week's {@code stock_on_hand} minus
 * its {@code units_sold} &mdash; exactly the contract's default starting stock. Returns of
 * history sales that arrive in the plan week or later are not in it: they are {@link
 * #pendingReturns()} and arrive during the plan. Nothing is replenished from the plan week on.
 *
 * @param articleId article key
 * @param market market key
 * @param articleIndex index of the article (0-based), which seeds its random stream
 * @param marketIndex index of the market (0-based)
 * @param category merchandise group
 * @param firstWeek first week on sale
 * @param exitWeek last week on sale
 * @param blackPrice full price in this market, &gt; 0
 * @param unitCost purchase cost per unit
 * @param baseDemand expected weekly units at full price at the peak of the life cycle, before
 *     seasonality
 * @param rampWeeks time constant of the launch ramp-up, in weeks
 * @param decay life-cycle decay: demand at full price falls by {@code exp(-decay)} from launch to
 *     exit
 * @param seasonAmplitude relative amplitude of the yearly seasonality of the category
 * @param seasonPeakDay day of the year at which the category's seasonality peaks
 * @param elasticity demand multiplier per unit of discount: demand ∝ {@code exp(elasticity·d)}
 * @param promoLift demand multiplier of a promotion: ∝ {@code exp(promoLift·x_promo)}
 * @param dispersion shape of the gamma-Poisson noise (variance = mean + mean² / dispersion)
 * @param returnRate share of units returned at full price
 * @param returnDiscountSlope the return rate at discount d is {@code returnRate·(1 −
 *     returnDiscountSlope·d)}
 * @param returnLagProbabilities probability that a return arrives 1, 2, 3 or 4 weeks after the sale
 * @param shipCost shipping and handling cost per sold unit
 * @param returnHandlingCost handling cost per returned unit (charged to the week of the sale)
 * @param costNoise log-scale of the week-to-week noise of the fulfillment cost (mean 1)
 * @param residualValue value per unit of stock left after the exit week
 * @param startStock sellable units carried into the plan week, before its arriving returns (for
 *     an article that exited before the plan week: the units left after its exit)
 * @param liveDiscount discount of the article's last history week in this market
 * @param pendingReturns units of history sales that arrive in the plan week and the 3 weeks after
 */
public record TruthParams(
    String articleId,
    String market,
    int articleIndex,
    int marketIndex,
    String category,
    LocalDate firstWeek,
    LocalDate exitWeek,
    double blackPrice,
    double unitCost,
    double baseDemand,
    double rampWeeks,
    double decay,
    double seasonAmplitude,
    int seasonPeakDay,
    double elasticity,
    double promoLift,
    double dispersion,
    double returnRate,
    double returnDiscountSlope,
    double[] returnLagProbabilities,
    double shipCost,
    double returnHandlingCost,
    double costNoise,
    double residualValue,
    long startStock,
    double liveDiscount,
    long[] pendingReturns)
    implements Serializable {

  /** Longest return lag in weeks. */
  public static final int MAX_RETURN_LAG = 4;

  public TruthParams {
    Objects.requireNonNull(articleId, "articleId");
    Objects.requireNonNull(market, "market");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(firstWeek, "firstWeek");
    Objects.requireNonNull(exitWeek, "exitWeek");
    if (exitWeek.isBefore(firstWeek)) {
      throw new IllegalArgumentException(
          "Cannot build truth of %s/%s: exitWeek is before firstWeek (%s < %s)"
              .formatted(articleId, market, exitWeek, firstWeek));
    }
    if (!(blackPrice > 0)) {
      throw new IllegalArgumentException(
          "Cannot build truth of %s/%s: blackPrice must be > 0 (%s)"
              .formatted(articleId, market, blackPrice));
    }
    if (returnLagProbabilities == null || returnLagProbabilities.length != MAX_RETURN_LAG) {
      throw new IllegalArgumentException(
          "Cannot build truth of %s/%s: returnLagProbabilities needs %d values (%s)"
              .formatted(articleId, market, MAX_RETURN_LAG, Arrays.toString(returnLagProbabilities)));
    }
    if (pendingReturns == null || pendingReturns.length != MAX_RETURN_LAG) {
      throw new IllegalArgumentException(
          "Cannot build truth of %s/%s: pendingReturns needs %d values (%s)"
              .formatted(articleId, market, MAX_RETURN_LAG, Arrays.toString(pendingReturns)));
    }
    if (startStock < 0) {
      throw new IllegalArgumentException(
          "Cannot build truth of %s/%s: startStock must be >= 0 (%d)"
              .formatted(articleId, market, startStock));
    }
  }

  /** Weeks from launch to exit, both included. */
  public int seasonWeeks() {
    return (int) java.time.temporal.ChronoUnit.WEEKS.between(firstWeek, exitWeek) + 1;
  }

  /** These parameters with another elasticity (a diagnostic: what a forecast that knows less sees). */
  public TruthParams withElasticity(double value) {
    return new TruthParams(
        articleId, market, articleIndex, marketIndex, category, firstWeek, exitWeek, blackPrice,
        unitCost, baseDemand, rampWeeks, decay, seasonAmplitude, seasonPeakDay, value,
        promoLift, dispersion, returnRate, returnDiscountSlope, returnLagProbabilities, shipCost,
        returnHandlingCost, costNoise, residualValue, startStock, liveDiscount, pendingReturns);
  }

  /** This record with the state at the plan week filled in. */
  TruthParams withPlanState(long stock, double discount, long[] pending) {
    return new TruthParams(
        articleId, market, articleIndex, marketIndex, category, firstWeek, exitWeek, blackPrice,
        unitCost, baseDemand, rampWeeks, decay, seasonAmplitude, seasonPeakDay, elasticity,
        promoLift, dispersion, returnRate, returnDiscountSlope, returnLagProbabilities, shipCost,
        returnHandlingCost, costNoise, residualValue, stock, discount, pending);
  }
}
