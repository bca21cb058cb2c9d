package io.pricepath.simulate;

import java.time.LocalDate;

/**
 * What {@link MarketSimulator#generate} wrote.
 *
 * @param root the dataset root
 * @param config the config it was generated with
 * @param articles rows of {@code articles/}
 * @param articleMarkets (article, market) pairs with a truth row
 * @param weeklyRows rows of {@code weekly/}
 * @param censoredWeeks weekly rows that sold out ({@code units_sold >= stock_on_hand})
 * @param returnRows rows of {@code returns/}
 * @param residualRows rows of {@code residuals/} (article-markets that exited before the plan week)
 * @param onSaleAtPlanWeek article-markets whose exit week is not before the plan week and that
 *     carry stock into it
 * @param exitingWithin12Weeks of those, the ones whose exit week is within 12 weeks of the plan week
 * @param elapsedMillis wall time of the generation
 */
public record GenerationSummary(
    String root,
    SimulatorConfig config,
    long articles,
    long articleMarkets,
    long weeklyRows,
    long censoredWeeks,
    long returnRows,
    long residualRows,
    long onSaleAtPlanWeek,
    long exitingWithin12Weeks,
    long elapsedMillis) {

  /** The first week a plan prices. */
  public LocalDate planWeek() {
    return config.planWeek();
  }

  /** Share of weekly rows that sold out. */
  public double censoredShare() {
    return weeklyRows == 0 ? 0 : censoredWeeks / (double) weeklyRows;
  }

  /** Share of article-markets on sale with stock at the plan week. */
  public double onSaleShare() {
    return articleMarkets == 0 ? 0 : onSaleAtPlanWeek / (double) articleMarkets;
  }
}
