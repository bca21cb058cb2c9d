package io.pricepath.optimizer.pooled;

import io.pricepath.optimizer.article.ArticleProblem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One article sold in several markets that all draw on one stock pool.
 *
 * <p>Each market keeps its own problem (forecasts, black price, ladder, rules, residual value of
 * its leftover stock and late returns); they must cover the same weeks. The pool starts with
 * {@code poolStock} units, which {@link PooledArticleSolver} allocates to the markets at the start
 * of the horizon (see there for the model). Every market's {@link ArticleProblem#startStock()} is
 * the share of the pool <em>attributed</em> to that market: it is the market's {@code S_1} in
 * sell-through rows, the allocation {@link PooledArticleSolver#evaluate(PooledArticleProblem,
 * int[][])} assumes, and the stock the market is credited with in the per-market profit split; the
 * solver chooses the allocation itself. The shares must sum to the pool ({@link #sharing}
 * attributes them for you); with an unlimited pool ({@code Double.POSITIVE_INFINITY}) every share
 * is unlimited too.
 *
 * @param articleId article key, shared by every market problem
 * @param markets the article's problem in each market, distinct markets, same horizon
 * @param poolStock sellable units in the pool at the start of week 0, or {@code
 *     Double.POSITIVE_INFINITY}
 * @param residualValue value per unit of the pool not allocated to any market
 */
public record PooledArticleProblem(
    String articleId, List<ArticleProblem> markets, double poolStock, double residualValue)
    implements Serializable {

  private static final double SHARE_TOLERANCE = 1e-9;

  public PooledArticleProblem {
    Objects.requireNonNull(articleId, "articleId");
    markets = List.copyOf(markets);
    if (markets.isEmpty()) {
      throw new IllegalArgumentException("Cannot pool article %s: it needs at least one market (0)".formatted(articleId));
    }
    if (!(poolStock >= 0)) {
      throw new IllegalArgumentException("Cannot pool article %s: pool stock must be >= 0 (%s)".formatted(articleId, poolStock));
    }
    if (!Double.isFinite(residualValue)) {
      throw new IllegalArgumentException(
          "Cannot pool article %s: residual value must be finite (%s)".formatted(articleId, residualValue));
    }
    Set<String> seen = new HashSet<>();
    int weeks = markets.get(0).weeks();
    double shares = 0;
    for (ArticleProblem p : markets) {
      if (!p.articleId().equals(articleId)) {
        throw new IllegalArgumentException(
            "Cannot pool article %s: a market problem belongs to another article (%s)".formatted(articleId, p.key()));
      }
      if (!seen.add(p.market())) {
        throw new IllegalArgumentException(
            "Cannot pool article %s: market appears twice (%s)".formatted(articleId, p.market()));
      }
      if (p.weeks() != weeks) {
        throw new IllegalArgumentException(
            "Cannot pool article %s: market %s covers %d weeks, market %s %d"
                .formatted(articleId, p.market(), p.weeks(), markets.get(0).market(), weeks));
      }
      if ((p.startStock() == Double.POSITIVE_INFINITY) != (poolStock == Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "Cannot pool article %s: market %s has stock share %s but the pool holds %s; shares are unlimited exactly when the pool is"
                .formatted(articleId, p.market(), p.startStock(), poolStock));
      }
      shares += p.startStock();
    }
    if (poolStock != Double.POSITIVE_INFINITY && Math.abs(shares - poolStock) > SHARE_TOLERANCE * Math.max(1, poolStock)) {
      throw new IllegalArgumentException(
          "Cannot pool article %s: the markets' stock shares sum to %s, the pool holds %s; use PooledArticleProblem.sharing"
              .formatted(articleId, shares, poolStock));
    }
  }

  /**
   * A pool of {@code poolStock} units shared by {@code markets}, each market's stock share set in
   * proportion to its expected demand at its live discount over its weeks on sale (equal shares
   * when there is none); the markets' own start stocks are replaced.
   *
   * @throws IllegalArgumentException as the constructor, or when {@code markets} is empty
   */
  public static PooledArticleProblem sharing(List<ArticleProblem> markets, double poolStock, double residualValue) {
    if (markets.isEmpty()) {
      throw new IllegalArgumentException("Cannot pool article: it needs at least one market (0)");
    }
    int n = markets.size();
    double[] weight = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      ArticleProblem p = markets.get(i);
      int live = Math.min(Math.max(p.rules().liveLevel(), 0), p.levels() - 1);
      for (int t = 0; t <= p.rules().lastSaleWeek(); t++) {
        weight[i] += p.demand()[t][live];
      }
      total += weight[i];
    }
    List<ArticleProblem> shared = new ArrayList<>(n);
    double given = 0;
    for (int i = 0; i < n; i++) {
      double share;
      if (poolStock == Double.POSITIVE_INFINITY) {
        share = poolStock;
      } else if (i == n - 1) {
        share = Math.max(0, poolStock - given);
      } else {
        share = poolStock * (total > 0 ? weight[i] / total : 1.0 / n);
        given += share;
      }
      shared.add(markets.get(i).withStartStock(share));
    }
    return new PooledArticleProblem(markets.get(0).articleId(), shared, poolStock, residualValue);
  }

  /** Number of weeks in the horizon. */
  public int weeks() {
    return markets.get(0).weeks();
  }

  /** The last week any market is on sale: after it the pool's stock is worth its residual value. */
  public int lastSaleWeek() {
    int last = -1;
    for (ArticleProblem p : markets) {
      last = Math.max(last, p.rules().lastSaleWeek());
    }
    return last;
  }

  /** The key {@code articleId|M1+M2+…} of the pooled article, in market order. */
  public String key() {
    StringBuilder key = new StringBuilder(articleId).append('|');
    for (int i = 0; i < markets.size(); i++) {
      key.append(i > 0 ? "+" : "").append(markets.get(i).market());
    }
    return key.toString();
  }
}
