package io.pricepath.optimizer.article;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One article's markdown problem in one market (or stock pool): forecasts over the horizon for
 * every ladder level, the stock it starts with and the business rules that bind it.
 *
 * <p>Weeks are indexed {@code t = 0..T-1} (week 0 is the plan week), ladder levels {@code k =
 * 0..K-1} in ascending discount order. Arrays are owned by the record: callers must not mutate
 * them after construction.
 *
 * @param articleId article key
 * @param market market key
 * @param category merchandise group, used to match coupling rows
 * @param blackPrice full price per week, {@code [T]}, each &gt; 0
 * @param ladder allowed discounts, ascending, in [0, 1), {@code [K]}
 * @param demand expected gross units if stock were unlimited, {@code [T][K]}, each &ge; 0
 * @param returnRate share of sold units that come back, {@code [T][K]}, in [0, 1]
 * @param returnWeeks weeks until a returned unit is sellable again, {@code [T][K]}, &ge; 0
 * @param fulfillmentCost cost per sold unit, {@code [T][K]}, &ge; 0
 * @param residualValue value per unit of stock left after the horizon or the exit week, and of
 *     returns arriving after it
 * @param startStock sellable units at the start of week 0; {@code Double.POSITIVE_INFINITY} when
 *     unconstrained
 * @param rules business rules of this article
 * @param incoming units coming back into stock at the start of each week from sales before the
 *     plan week (their expected returns), {@code [T]}, each &ge; 0; those arriving after the exit
 *     week are worth the residual value per unit. Ignored when stock is unconstrained
 */
public record ArticleProblem(
    String articleId,
    String market,
    String category,
    double[] blackPrice,
    double[] ladder,
    double[][] demand,
    double[][] returnRate,
    double[][] returnWeeks,
    double[][] fulfillmentCost,
    double residualValue,
    double startStock,
    Rules rules,
    double[] incoming)
    implements Serializable {

  /** A problem with nothing coming back from sales before the plan week. */
  public ArticleProblem(String articleId, String market, String category, double[] blackPrice, double[] ladder,
      double[][] demand, double[][] returnRate, double[][] returnWeeks, double[][] fulfillmentCost,
      double residualValue, double startStock, Rules rules) {
    this(articleId, market, category, blackPrice, ladder, demand, returnRate, returnWeeks, fulfillmentCost,
        residualValue, startStock, rules, new double[blackPrice.length]);
  }

  public ArticleProblem {
    Objects.requireNonNull(articleId, "articleId");
    Objects.requireNonNull(market, "market");
    Objects.requireNonNull(rules, "rules");
    int weeks = blackPrice.length;
    int levels = ladder.length;
    if (weeks == 0 || levels == 0) {
      throw new IllegalArgumentException(
          "article %s/%s needs at least one week and one ladder level (weeks=%d, levels=%d)"
              .formatted(articleId, market, weeks, levels));
    }
    for (int k = 1; k < levels; k++) {
      if (!(ladder[k] > ladder[k - 1])) {
        throw new IllegalArgumentException(
            "ladder must be strictly ascending (%s)".formatted(Arrays.toString(ladder)));
      }
    }
    checkShape("demand", demand, weeks, levels);
    checkShape("returnRate", returnRate, weeks, levels);
    checkShape("returnWeeks", returnWeeks, weeks, levels);
    checkShape("fulfillmentCost", fulfillmentCost, weeks, levels);
    if (!(startStock >= 0)) {
      throw new IllegalArgumentException(
          "start stock of %s/%s must be >= 0 (%s)".formatted(articleId, market, startStock));
    }
    Objects.requireNonNull(incoming, "incoming");
    if (incoming.length != weeks) {
      throw new IllegalArgumentException(
          "incoming returns of %s/%s cover %d weeks, forecasts %d".formatted(articleId, market, incoming.length, weeks));
    }
    for (double units : incoming) {
      if (!(units >= 0) || units == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException(
            "incoming returns of %s/%s must be finite and >= 0 (%s)".formatted(articleId, market, Arrays.toString(incoming)));
      }
    }
    if (rules.weeks() != weeks) {
      throw new IllegalArgumentException(
          "rules of %s/%s cover %d weeks, forecasts %d".formatted(articleId, market, rules.weeks(), weeks));
    }
  }

  /** Number of weeks in the horizon. */
  public int weeks() {
    return blackPrice.length;
  }

  /** Number of ladder levels. */
  public int levels() {
    return ladder.length;
  }

  /** The same problem with {@code stock} units at the start of week 0 (nothing else changes). */
  public ArticleProblem withStartStock(double stock) {
    return new ArticleProblem(articleId, market, category, blackPrice, ladder, demand, returnRate, returnWeeks,
        fulfillmentCost, residualValue, stock, rules, incoming);
  }

  /** Units coming back after the exit week (worth the residual value): 0 when stock is unconstrained. */
  public double incomingAfter(int exit) {
    if (startStock == Double.POSITIVE_INFINITY) {
      return 0;
    }
    double late = 0;
    for (int t = Math.max(0, exit + 1); t < incoming.length; t++) {
      late += incoming[t];
    }
    return late;
  }

  /** The key {@code articleId|market} used to join plans back to rows. */
  public String key() {
    return articleId + "|" + market;
  }

  private void checkShape(String name, double[][] values, int weeks, int levels) {
    if (values.length != weeks) {
      throw new IllegalArgumentException(
          "%s of %s/%s has %d weeks, expected %d".formatted(name, articleId, market, values.length, weeks));
    }
    for (double[] row : values) {
      if (row.length != levels) {
        throw new IllegalArgumentException(
            "%s of %s/%s has %d levels, expected %d".formatted(name, articleId, market, row.length, levels));
      }
    }
  }
}
