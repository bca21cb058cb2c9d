package io.pricepath.jobs.optimize;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.PathOutcome;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.pooled.PooledArticleProblem;
import io.pricepath.optimizer.pooled.PooledArticleSolver;
import java.util.ArrayList;
import java.util.List;

/**
 * Week-by-week outcomes of a pooled article's paths, one per market, for the recommendations.
 *
 * <p>Sales, returns, revenue and profit are each market's own, under the pool model of {@link
 * PooledArticleSolver} (its {@link PooledArticleSolver#evaluate} gives the sales). Stock is the
 * pool's: {@code stockStart} and {@code stockEnd} of a market are the pool's stock at the start and
 * at the end of the week times the market's attributed share of the pool ({@link
 * ArticleProblem#startStock()} / pool), so that they sum over the pool's markets to the pool's
 * stock and a market's sales may exceed its own figure when the others leave it stock. The
 * terminal value is what the market's profit has beyond its weekly profits (late returns and its
 * part of the pool's residual value), so that {@code totalProfit} is the solver's.
 */
final class PooledOutcomes {
  private PooledOutcomes() {}

  /** One outcome per market of {@code p}, in its market order, when they follow {@code levels} ({@code [markets][T]}). */
  static List<PathOutcome> evaluate(PooledArticleProblem p, int[][] levels) {
    List<PathSummary> summaries = PooledArticleSolver.evaluate(p, levels);
    List<ArticleProblem> markets = p.markets();
    int n = markets.size();
    int weeks = p.weeks();
    // the pool's stock at the start of each week: sales leave, returns come back after their lag
    // while the market that sold them is still on sale (as PooledArticleSolver models them)
    double[] poolStart = new double[weeks];
    double[] poolEnd = new double[weeks];
    double[] arrivals = new double[weeks + 1];
    double stock = p.poolStock();
    for (int t = 0; t < weeks; t++) {
      stock += arrivals[t];
      poolStart[t] = stock;
      for (int m = 0; m < n; m++) {
        ArticleProblem market = markets.get(m);
        double s = summaries.get(m).units()[t];
        stock -= s;
        int k = levels[m][t];
        int arrival = t + (int) Math.max(1, Math.round(market.returnWeeks()[t][k]));
        if (s > 0 && arrival <= market.rules().lastSaleWeek()) {
          arrivals[arrival] += market.returnRate()[t][k] * s;
        }
      }
      stock = Math.max(0, stock); // rounding of a rationed week
      poolEnd[t] = stock;
    }
    boolean finite = Double.isFinite(p.poolStock());
    List<PathOutcome> outcomes = new ArrayList<>(n);
    for (int m = 0; m < n; m++) {
      ArticleProblem market = markets.get(m);
      PathSummary summary = summaries.get(m);
      double share = !finite ? 0 : p.poolStock() > 0 ? market.startStock() / p.poolStock() : 1.0 / n;
      double[] discount = new double[weeks];
      double[] price = new double[weeks];
      double[] stockStart = new double[weeks];
      double[] returns = new double[weeks];
      double[] revenue = new double[weeks];
      double[] profit = new double[weeks];
      double[] stockEnd = new double[weeks];
      double weekly = 0;
      for (int t = 0; t < weeks; t++) {
        int k = levels[m][t];
        double s = summary.units()[t];
        double r = market.returnRate()[t][k];
        discount[t] = market.ladder()[k];
        price[t] = market.blackPrice()[t] * (1 - discount[t]);
        returns[t] = r * s;
        revenue[t] = price[t] * s * (1 - r);
        profit[t] = revenue[t] - market.fulfillmentCost()[t][k] * s;
        stockStart[t] = finite ? share * poolStart[t] : Double.POSITIVE_INFINITY;
        stockEnd[t] = finite ? share * poolEnd[t] : Double.POSITIVE_INFINITY;
        weekly += profit[t];
      }
      outcomes.add(new PathOutcome(levels[m].clone(), discount, price, stockStart, summary.units().clone(), returns,
          revenue, profit, stockEnd, summary.profit() - weekly, summary.profit()));
    }
    return outcomes;
  }
}
