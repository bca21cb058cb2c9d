package io.pricepath.optimizer.pooled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.optimizer.RandomProblems;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.article.Rules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PooledArticleSolverTest {

  private final PooledArticleSolver solver = new PooledArticleSolver();

  @Test
  void matchesBruteForceOverSharesAndPathsOnTinyInstancesWithAllRules() {
    PooledProblems gen = new PooledProblems(17);
    int binding = 0;
    for (int n = 0; n < 60; n++) {
      int markets = n % 10 == 9 ? 3 : 2 + gen.random().random().nextInt(2);
      int weeks = markets == 3 ? 3 : 3 + gen.random().random().nextInt(2);
      double cover = switch (n % 5) {
        case 0 -> 10.0;
        case 1 -> 0.4;
        default -> 0.2 + 0.9 * gen.random().random().nextDouble();
      };
      PooledArticleProblem p = gen.article("a" + n, markets, weeks, 3, cover, null);
      CouplingWeights[] w = n % 4 == 0 ? none(markets, weeks) : gen.weights(markets, weeks);
      List<PathSummary> solved = solver.solve(p, w);
      double[] shares = solver.lastShares();
      int[][] levelsOf = new int[markets][];
      double allocated = 0;
      double sellable = 0;
      for (int m = 0; m < markets; m++) {
        levelsOf[m] = solved.get(m).levels();
        assertThat(shares[m]).as("instance %d: whole units", n).isEqualTo(Math.rint(shares[m]));
        assertThat(shares[m]).isLessThanOrEqualTo(Math.ceil(PooledArticleSolver.mostSellable(p.markets().get(m))));
        allocated += shares[m];
        sellable += PooledArticleSolver.mostSellable(p.markets().get(m));
      }
      assertThat(allocated).isLessThanOrEqualTo(p.poolStock());
      if (p.poolStock() < sellable) {
        binding++;
      }
      assertThat(PooledArticleSolver.violation(p, levelsOf)).as("instance %d", n).isEmpty();
      double value = PooledArticleSolver.objective(p, w, solved);
      double brute = bruteForce(p, w);
      assertThat(value).as("instance %d", n).isCloseTo(brute, within(1e-9 * Math.max(1, Math.abs(brute))));
      assertThat(solver.lastExact()).isTrue();
      assertThat(solver.lastUpperBound()).isCloseTo(value, within(1e-9 * Math.max(1, Math.abs(value))));
      // the summaries are those of the paths on the shares
      List<PathSummary> again = PooledArticleSolver.evaluate(p, levelsOf, shares);
      assertThat(PooledArticleSolver.objective(p, w, again)).isCloseTo(value, within(1e-9 * Math.max(1, Math.abs(value))));
      // the best allocation for the paths earns at least the plan's profit
      double profit = again.stream().mapToDouble(PathSummary::profit).sum();
      double best = PooledArticleSolver.evaluate(p, levelsOf).stream().mapToDouble(PathSummary::profit).sum();
      assertThat(best).isGreaterThanOrEqualTo(profit - 1e-9 * Math.max(1, Math.abs(profit)));
      if (n % 4 == 0) {
        assertThat(best).as("instance %d: no weights", n).isCloseTo(profit, within(1e-9 * Math.max(1, Math.abs(profit))));
      }
    }
    assertThat(binding).isGreaterThan(30);
  }

  @Test
  void allocationMatchesEveryCombinationOfLots() {
    java.util.Random random = new java.util.Random(3);
    for (int n = 0; n < 200; n++) {
      int markets = 1 + random.nextInt(3);
      int[] cap = new int[markets];
      double[][] value = new double[markets][];
      for (int m = 0; m < markets; m++) {
        cap[m] = random.nextInt(7);
        value[m] = new double[cap[m] + 1];
        for (int y = 0; y <= cap[m]; y++) {
          value[m][y] = 10 * random.nextGaussian();
        }
      }
      int pool = random.nextInt(12);
      double residual = random.nextDouble() * 3;
      int[] lots = PooledArticleSolver.allocate(value, cap, pool, residual);
      double best = Double.NEGATIVE_INFINITY;
      int[] y = new int[markets];
      while (true) {
        int used = 0;
        double total = 0;
        for (int m = 0; m < markets; m++) {
          used += y[m];
          total += value[m][y[m]];
        }
        if (used <= pool) {
          best = Math.max(best, total + residual * (pool - used));
        }
        int m = 0;
        while (m < markets && ++y[m] > cap[m]) {
          y[m++] = 0;
        }
        if (m == markets) {
          break;
        }
      }
      int used = 0;
      double total = 0;
      for (int m = 0; m < markets; m++) {
        assertThat(lots[m]).isBetween(0, cap[m]);
        used += lots[m];
        total += value[m][lots[m]];
      }
      assertThat(used).isLessThanOrEqualTo(pool);
      assertThat(total + residual * (pool - used)).as("instance %d", n).isCloseTo(best, within(1e-9));
    }
  }

  @Test
  void largeMarketsCountTheirSharesInLots() {
    PooledProblems gen = new PooledProblems(8);
    PooledArticleProblem small = gen.article("a", 2, 4, 3, 0.6, PooledProblems.markdown(4, 3, 2, 4));
    assertThat(PooledArticleSolver.lotSize(small)).isEqualTo(1);
    List<ArticleProblem> scaled = new ArrayList<>();
    for (ArticleProblem market : small.markets()) {
      double[][] demand = new double[4][];
      for (int t = 0; t < 4; t++) {
        demand[t] = Arrays.stream(market.demand()[t]).map(q -> 1000 * q).toArray();
      }
      scaled.add(new ArticleProblem(market.articleId(), market.market(), market.category(), market.blackPrice(), market.ladder(),
          demand, market.returnRate(), market.returnWeeks(), market.fulfillmentCost(), market.residualValue(), 0, market.rules()));
    }
    PooledArticleProblem large = PooledArticleProblem.sharing(scaled, 1000 * small.poolStock() + 1, small.residualValue());
    double most = Math.max(PooledArticleSolver.mostSellable(large.markets().get(0)), PooledArticleSolver.mostSellable(large.markets().get(1)));
    double lot = PooledArticleSolver.lotSize(large);
    double base = Math.ceil(most / PooledArticleSolver.MAX_LOTS);
    // equal lots that divide the pool, none larger than the base lot
    assertThat(lot).isGreaterThan(1).isLessThanOrEqualTo(base)
        .isCloseTo(large.poolStock() / Math.ceil(large.poolStock() / base), within(1e-9));
    List<PathSummary> solved = solver.solve(large, none(2, 4));
    for (double share : solver.lastShares()) {
      assertThat(share / lot).isCloseTo(Math.rint(share / lot), within(1e-9));
    }
    assertThat(solver.lastSolves()).isLessThanOrEqualTo(2L * (PooledArticleSolver.MAX_LOTS + 1));
    assertThat(PooledArticleSolver.violation(large, new int[][] {solved.get(0).levels(), solved.get(1).levels()})).isEmpty();
  }

  @Test
  void unlimitedPoolEqualsEveryMarketSolvedAlone() {
    PooledProblems gen = new PooledProblems(5);
    ArticleSolver alone = new ArticleSolver();
    for (int n = 0; n < 40; n++) {
      int markets = 1 + gen.random().random().nextInt(4);
      Rules rules = n % 2 == 0 ? PooledProblems.markdown(12, 8, 2, 4) : null;
      PooledArticleProblem p = gen.article("a" + n, markets, 12, 8, Double.POSITIVE_INFINITY, rules);
      CouplingWeights[] w = gen.weights(markets, 12);
      List<PathSummary> solved = solver.solve(p, w);
      for (int m = 0; m < markets; m++) {
        ArticleProblem market = p.markets().get(m);
        PathSummary own = alone.solve(market, w[m]);
        double expected = ArticleSolver.objective(market, w[m], own);
        assertThat(ArticleSolver.objective(market, w[m], solved.get(m)))
            .as("instance %d market %s", n, market.market())
            .isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
        PathSummary same = ArticleSolver.summarize(market, solved.get(m).levels());
        assertThat(solved.get(m).profit()).isCloseTo(same.profit(), within(1e-9 * Math.max(1, Math.abs(same.profit()))));
        assertThat(solved.get(m).units()).containsExactly(same.units(), within(1e-9));
      }
    }
  }

  @Test
  void emptyAndFractionalPoolsAreAllocatedWhole() {
    PooledArticleProblem base = new PooledProblems(12).article("a", 2, 4, 3, 0.5, null);
    for (double pool : new double[] {0, 0.5, 7.25}) {
      PooledArticleProblem p = PooledArticleProblem.sharing(base.markets(), pool, base.residualValue());
      List<PathSummary> solved = solver.solve(p, none(2, 4));
      double[] shares = solver.lastShares();
      assertThat(shares[0] + shares[1]).as("pool %s", pool).isLessThanOrEqualTo(pool + 1e-9);
      double lot = PooledArticleSolver.lotSize(p);
      assertThat(shares[0] / lot).isCloseTo(Math.rint(shares[0] / lot), within(1e-9));
      // what is sold in the first week comes from the shares and the returns coming back in it alone
      double incoming = p.markets().get(0).incoming()[0] + p.markets().get(1).incoming()[0];
      assertThat(solved.get(0).units()[0] + solved.get(1).units()[0])
          .isLessThanOrEqualTo(shares[0] + shares[1] + incoming + 1e-9);
    }
  }

  @Test
  void oneMarketIsTheSingleMarketSolverOnItsShare() {
    RandomProblems gen = new RandomProblems(23);
    ArticleSolver alone = new ArticleSolver();
    for (int n = 0; n < 40; n++) {
      Rules rules = n % 2 == 0 ? PooledProblems.markdown(12, 8, 2, 4) : gen.rules(12, 8);
      ArticleProblem p = gen.article("a" + n, "DE", "shoes", 12, 8, 0.4 + gen.random().nextDouble(), rules);
      CouplingWeights w = gen.weights(12);
      PooledArticleProblem pooled = new PooledArticleProblem("a" + n, List.of(p), p.startStock(), p.residualValue());
      PathSummary solved = solver.solve(pooled, new CouplingWeights[] {w}).get(0);
      double share = solver.lastShares()[0];
      // never worse than the market alone on the whole pool (the share may keep stock back in the pool) ...
      PathSummary own = alone.solve(p, w);
      double whole = ArticleSolver.objective(p, w, own);
      double value = ArticleSolver.objective(p, w, solved);
      assertThat(value).as("instance %d", n).isGreaterThanOrEqualTo(whole - 1e-9 * Math.max(1, Math.abs(whole)));
      // ... and exactly the single-market plan on its share, stock kept back worth the residual value
      ArticleProblem onShare = p.withStartStock(share);
      PathSummary same = ArticleSolver.summarize(onShare, solved.levels());
      assertThat(solved.profit()).isCloseTo(same.profit() + p.residualValue() * (p.startStock() - share),
          within(1e-9 * Math.max(1, Math.abs(same.profit()))));
      assertThat(solved.units()).containsExactly(same.units(), within(1e-9));
      double best = ArticleSolver.objective(onShare, w, alone.solve(onShare, w));
      assertThat(ArticleSolver.objective(onShare, w, same)).isCloseTo(best, within(1e-9 * Math.max(1, Math.abs(best))));
    }
  }

  @Test
  @SuppressWarnings("deprecation")
  void theDeprecatedNodeBudgetStillSolvesExactly() {
    PooledProblems gen = new PooledProblems(99);
    PooledArticleProblem p = gen.article("a", 4, 12, 8, 0.6, PooledProblems.markdown(12, 8, 2, 4));
    CouplingWeights[] w = gen.mildWeights(4, 12);
    double exact = PooledArticleSolver.objective(p, w, solver.solve(p, w));
    PooledArticleSolver budgeted = PooledArticleSolver.withNodeBudget(1);
    assertThat(PooledArticleSolver.objective(p, w, budgeted.solve(p, w))).isCloseTo(exact, within(1e-9 * Math.abs(exact)));
    assertThat(budgeted.lastExact()).isTrue();
    assertThatThrownBy(() -> PooledArticleSolver.withNodeBudget(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create pooled solver: node budget must be >= 1 (0)");
  }

  @Test
  void allocatesAndSplitsProfitByHand() {
    // One level, price 10, no cost. DE wants 6 a week, FR 4; pool 5. Returns: DE 50 % after 1 week,
    // FR none. Pool residual 1, DE residual 3 (late returns), attributed shares 3 and 2.
    int[] locked = {-1, -1};
    Rules rules = new Rules(0, true, 1, Integer.MAX_VALUE, 0, 0, new boolean[2], 1, locked);
    ArticleProblem de = new ArticleProblem("a", "DE", "shoes", new double[] {10, 10}, new double[] {0},
        new double[][] {{6}, {6}}, new double[][] {{0.5}, {0.5}}, new double[][] {{1}, {1}}, new double[][] {{0}, {0}}, 3, 3, rules);
    ArticleProblem fr = new ArticleProblem("a", "FR", "shoes", new double[] {10, 10}, new double[] {0},
        new double[][] {{4}, {4}}, new double[][] {{0}, {0}}, new double[][] {{1}, {1}}, new double[][] {{0}, {0}}, 0, 2, rules);
    PooledArticleProblem p = new PooledArticleProblem("a", List.of(de, fr), 5, 1);
    int[][] flat = {{0, 0}, {0, 0}};
    // On the attributed shares: DE sells 3, its 1.5 returns in week 1, their 0.75 returns late; FR sells 2.
    List<PathSummary> s = PooledArticleSolver.evaluate(p, flat, new double[] {3, 2});
    assertThat(s.get(0).units()).containsExactly(new double[] {3, 1.5}, within(1e-12));
    assertThat(s.get(1).units()).containsExactly(new double[] {2, 0}, within(1e-12));
    assertThat(s.get(0).profit()).isCloseTo(10 * 4.5 * 0.5 + 0.75 * 3, within(1e-12));
    assertThat(s.get(1).profit()).isCloseTo(20, within(1e-12));
    // Shares 2 and 2: one unit stays in the pool, worth 1, credited to DE whose attributed share it was.
    s = PooledArticleSolver.evaluate(p, flat, new double[] {2, 2});
    assertThat(s.get(0).units()).containsExactly(new double[] {2, 1}, within(1e-12));
    assertThat(s.get(0).profit()).isCloseTo(10 * 3 * 0.5 + 0.5 * 3 + 1, within(1e-12));
    assertThat(s.get(0).grossValue()).containsExactly(new double[] {20, 10}, within(1e-12));
    assertThat(s.get(0).discountValue()).containsExactly(0, 0);
    assertThat(s.get(1).profit()).isCloseTo(20, within(1e-12));
    // A unit is worth 8.25 in DE (7.5 of revenue net of returns, 0.75 of late returns) and 10 in FR,
    // which could sell 8: the whole pool goes to FR, DE is credited its attributed share's residual.
    s = solver.solve(p, none(2, 2));
    assertThat(solver.lastShares()).containsExactly(0, 5);
    assertThat(s.get(1).units()).containsExactly(new double[] {4, 1}, within(1e-12));
    assertThat(s.get(0).profit()).isCloseTo(3, within(1e-12));
    assertThat(s.get(1).profit()).isCloseTo(50 - 3, within(1e-12));
    // so does the best allocation for the paths alone
    s = PooledArticleSolver.evaluate(p, flat);
    assertThat(s.get(0).units()).containsExactly(0, 0);
    assertThat(s.get(1).units()).containsExactly(new double[] {4, 1}, within(1e-12));
    assertThatThrownBy(() -> PooledArticleSolver.evaluate(p, flat, new double[] {3, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate pooled article a|DE+FR: shares sum to 6.0, the pool holds 5.0");
  }

  @Test
  void rejectsWeightsThatDoNotMatchTheMarkets() {
    PooledArticleProblem p = new PooledProblems(1).article("a", 2, 3, 3, 0.5, null);
    assertThatThrownBy(() -> solver.solve(p, new CouplingWeights[] {CouplingWeights.none(3)}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot solve pooled article a|DE+FR: 1 coupling weights for 2 markets");
    assertThatThrownBy(() -> solver.solve(p, new CouplingWeights[] {CouplingWeights.none(3), CouplingWeights.none(2)}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot solve pooled article a|DE+FR: coupling weights of market FR cover 2 weeks, the horizon 3");
  }

  @Test
  void problemRequiresSharesThatSumToThePool() {
    PooledArticleProblem p = new PooledProblems(2).article("a", 2, 3, 3, 0.5, null);
    List<ArticleProblem> markets = p.markets();
    assertThat(markets.get(0).startStock() + markets.get(1).startStock()).isCloseTo(p.poolStock(), within(1e-9));
    assertThatThrownBy(() -> new PooledArticleProblem("a", markets, p.poolStock() + 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot pool article a: the markets' stock shares sum to %s, the pool holds %s; use PooledArticleProblem.sharing"
            .formatted(markets.get(0).startStock() + markets.get(1).startStock(), p.poolStock() + 1));
    assertThatThrownBy(() -> new PooledArticleProblem("a", List.of(markets.get(0), markets.get(0)), 2 * markets.get(0).startStock(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot pool article a: market appears twice (DE)");
    assertThatThrownBy(() -> new PooledArticleProblem("b", markets, p.poolStock(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot pool article b: a market problem belongs to another article (a|DE)");
    assertThatThrownBy(() -> new PooledArticleProblem("a", markets, Double.POSITIVE_INFINITY, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot pool article a: market DE has stock share");
    assertThatThrownBy(() -> new PooledArticleProblem("a", List.of(), 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot pool article a: it needs at least one market (0)");
  }

  // ---------------------------------------------------------------------------------------------

  private static CouplingWeights[] none(int markets, int weeks) {
    CouplingWeights[] w = new CouplingWeights[markets];
    Arrays.fill(w, CouplingWeights.none(weeks));
    return w;
  }

  /**
   * The best objective over every whole-unit share of each market up to the most it could sell,
   * within the pool, and every combination of admissible paths: each market's best path on each
   * share by enumeration, then every combination of shares.
   */
  private static double bruteForce(PooledArticleProblem p, CouplingWeights[] w) {
    int markets = p.markets().size();
    int[] cap = new int[markets];
    double[][] best = new double[markets][];
    for (int m = 0; m < markets; m++) {
      ArticleProblem market = p.markets().get(m);
      cap[m] = (int) Math.min(p.poolStock(), Math.ceil(PooledArticleSolver.mostSellable(market)));
      best[m] = new double[cap[m] + 1];
      List<int[]> admissible = new ArrayList<>();
      for (int[] path : RandomProblems.allPaths(market.weeks(), market.levels())) {
        if (ArticleSolver.admissible(market, path)) {
          admissible.add(path);
        }
      }
      for (int y = 0; y <= cap[m]; y++) {
        ArticleProblem onShare = market.withStartStock(y);
        best[m][y] = Double.NEGATIVE_INFINITY;
        for (int[] path : admissible) {
          best[m][y] = Math.max(best[m][y], ArticleSolver.objective(onShare, w[m], ArticleSolver.summarize(onShare, path)));
        }
      }
    }
    double top = Double.NEGATIVE_INFINITY;
    int[] y = new int[markets];
    while (true) {
      double used = 0;
      double total = 0;
      for (int m = 0; m < markets; m++) {
        used += y[m];
        total += best[m][y[m]];
      }
      if (used <= p.poolStock()) {
        top = Math.max(top, total + p.residualValue() * (p.poolStock() - used));
      }
      int m = 0;
      while (m < markets && ++y[m] > cap[m]) {
        y[m++] = 0;
      }
      if (m == markets) {
        return top;
      }
    }
  }
}
