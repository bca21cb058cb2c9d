package io.pricepath.simulate;

/**
 * Totals of a simulated plan over all its article-markets and weeks.
 *
 * @param articleMarkets (article, market) pairs simulated
 * @param startingStock units carried into the plan week (before the returns arriving in it)
 * @param units gross units sold
 * @param returns units returned out of those sales
 * @param revenue price × (units − returns)
 * @param fulfillmentCost fulfillment cost of the sales
 * @param profit revenue − fulfillment cost, before residual value
 * @param residualValue value of the stock left after each plan (or exit week) and of the returns
 *     arriving after it
 * @param sellThrough units / startingStock (0 without starting stock); may exceed 1 as returned
 *     units are sold again
 */
public record PlanTotals(
    long articleMarkets,
    double startingStock,
    double units,
    double returns,
    double revenue,
    double fulfillmentCost,
    double profit,
    double residualValue,
    double sellThrough) {

  /** Profit including the residual value: what a policy is judged on. */
  public double totalProfit() {
    return profit + residualValue;
  }
}
