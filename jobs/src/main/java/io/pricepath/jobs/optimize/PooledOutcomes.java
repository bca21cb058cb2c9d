package io.pricepath.jobs.optimize;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.PathOutcome;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.pooled.PooledArticleProblem;
import io.pricepath.optimizer.pooled.PooledArticleSolver;
import java.util.ArrayList;
import java.util.List;

/**
 * Week-by-week outcomes of a pooled article's paths, one per market, for the recommendations.
 *
 * <p>Under the pool model of {@link PooledArticleSolver} the pool is allocated once, at the start
 * of the horizon: market {@code m} sells from its share {@code shares[m]} exactly as a market with
 * that stock would, its returns coming back to its share. So every week's figures, stock included,
 * are the market's own on its share ({@code stockStart} of the first week is the share). The
 * terminal value is what the market's profit has beyond its weekly profits (its stock left, late
 * returns and its part of the residual value of the pool's unallocated units), so that {@code
 * totalProfit} sums over the markets to the article's profit.
 */
final class PooledOutcomes {
  private PooledOutcomes() {}

  /**
   * One outcome per market of {@code p}, in its market order, when they follow {@code levels}
   * ({@code [markets][T]}) and sell from {@code shares} (as the solver allocated them).
   */
  static List<PathOutcome> evaluate(PooledArticleProblem p, int[][] levels, double[] shares) {
    List<PathSummary> summaries = PooledArticleSolver.evaluate(p, levels, shares);
    List<ArticleProblem> markets = p.markets();
    List<PathOutcome> outcomes = new ArrayList<>(markets.size());
    for (int m = 0; m < markets.size(); m++) {
      PathOutcome own = ArticleSolver.evaluate(markets.get(m).withStartStock(shares[m]), levels[m]);
      double weekly = 0;
      for (double profit : own.profit()) {
        weekly += profit;
      }
      double total = summaries.get(m).profit();
      outcomes.add(new PathOutcome(own.levels(), own.discount(), own.price(), own.stockStart(), own.units(),
          own.returns(), own.revenue(), own.profit(), own.stockEnd(), total - weekly, total));
    }
    return outcomes;
  }

  /** The same, the pool allocated so as to maximise the article's profit on these paths. */
  static List<PathOutcome> evaluate(PooledArticleProblem p, int[][] levels) {
    return evaluate(p, levels, PooledArticleSolver.allocation(p, levels));
  }
}
