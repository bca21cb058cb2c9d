package io.pricepath.simulate;

import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The simulated outcome of a price plan.
 *
 * @param rows one row per (article, market, plan week): {@code article_id, market, week,
 *     discount, price, stock_start} (after the week's arriving returns), {@code returns_in}
 *     (returns that joined the stock at the week's start), {@code units, returns} (units returned
 *     out of this week's sales, whenever they arrive), {@code revenue, fulfillment_cost, profit,
 *     stock_end} and {@code residual_value} (non-zero only on each article-market's last plan
 *     row). Per article-market, start stock + Σ returns_in = Σ units + last stock_end. Recomputed
 *     deterministically on every action.
 * @param totals totals over all rows
 */
public record PlanOutcome(Dataset<Row> rows, PlanTotals totals) {
  public PlanOutcome {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(totals, "totals");
  }
}
