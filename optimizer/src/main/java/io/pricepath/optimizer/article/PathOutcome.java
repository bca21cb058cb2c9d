package io.pricepath.optimizer.article;

/**
 * Week-by-week expected outcome of one discount path, for reporting.
 *
 * @param levels ladder index per week
 * @param discount discount per week
 * @param price black price × (1 − discount) per week
 * @param stockStart sellable units at the start of each week (returns that arrived included)
 * @param units expected gross units sold per week, min(demand, stock)
 * @param returns expected units returned out of each week's sales
 * @param revenue price × units × (1 − return rate) per week
 * @param profit revenue − fulfillment cost per week
 * @param stockEnd units left at the end of each week, before next week's returns arrive
 * @param terminalValue residual value of stock left at the end and of returns arriving after it
 * @param totalProfit Σ profit + terminal value (equals {@link PathSummary#profit()})
 */
public record PathOutcome(
    int[] levels,
    double[] discount,
    double[] price,
    double[] stockStart,
    double[] units,
    double[] returns,
    double[] revenue,
    double[] profit,
    double[] stockEnd,
    double terminalValue,
    double totalProfit)
    implements java.io.Serializable {}
