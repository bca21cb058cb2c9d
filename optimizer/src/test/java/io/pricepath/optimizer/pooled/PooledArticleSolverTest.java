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
  void matchesBruteForceOnTinyInstancesWithAllRules() {
    PooledProblems gen = new PooledProblems(17);
    int rationed = 0;
    int searched = 0;
    for (int n = 0; n < 80; n++) {
      int markets = n % 10 == 9 ? 3 : 2 + gen.random().random().nextInt(2);
      int weeks = markets == 3 && n % 10 != 9 ? 3 : 3 + gen.random().random().nextInt(2);
      int levels = 3;
      double cover = switch (n % 5) {
        case 0 -> 10.0;
        case 1 -> 0.4;
        default -> 0.2 + 0.9 * gen.random().random().nextDouble();
      };
      PooledArticleProblem p = gen.article("a" + n, markets, weeks, levels, cover, null);
      CouplingWeights[] w = n % 4 == 0 ? none(markets, weeks) : gen.weights(markets, weeks);
      List<PathSummary> solved = solver.solve(p, w);
      if (solver.lastNodes() > 1) {
        searched++;
      }
      int[][] levelsOf = new int[markets][];
      for (int m = 0; m < markets; m++) {
        levelsOf[m] = solved.get(m).levels();
      }
      assertThat(PooledArticleSolver.violation(p, levelsOf)).as("instance %d", n).isEmpty();
      double brute = bruteForce(p, w);
      double value = PooledArticleSolver.objective(p, w, solved);
      assertThat(value).as("instance %d", n).isCloseTo(brute, within(1e-9 * Math.max(1, Math.abs(brute))));
      if (rationedSomeWeek(p, solved)) {
        rationed++;
      }
    }
    assertThat(rationed).isGreaterThan(30);
    assertThat(searched).isGreaterThan(30);
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
  void oneMarketPoolEqualsTheSingleMarketSolver() {
    RandomProblems gen = new RandomProblems(23);
    ArticleSolver alone = new ArticleSolver();
    for (int n = 0; n < 40; n++) {
      Rules rules = n % 2 == 0 ? PooledProblems.markdown(12, 8, 2, 4) : gen.rules(12, 8);
      ArticleProblem p = gen.article("a" + n, "DE", "shoes", 12, 8, 0.4 + gen.random().nextDouble(), rules);
      CouplingWeights w = gen.weights(12);
      PooledArticleProblem pooled = new PooledArticleProblem("a" + n, List.of(p), p.startStock(), p.residualValue());
      PathSummary solved = solver.solve(pooled, new CouplingWeights[] {w}).get(0);
      PathSummary own = alone.solve(p, w);
      double expected = ArticleSolver.objective(p, w, own);
      assertThat(ArticleSolver.objective(p, w, solved)).as("instance %d", n)
          .isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
      PathSummary same = ArticleSolver.summarize(p, solved.levels());
      assertThat(solved.profit()).isCloseTo(same.profit(), within(1e-9 * Math.max(1, Math.abs(same.profit()))));
    }
  }

  @Test
  void nodeBudgetReturnsAnAdmissiblePlanWithAValidBoundNoWorseThanMarketsAlone() {
    PooledProblems gen = new PooledProblems(99);
    ArticleSolver alone = new ArticleSolver();
    PooledArticleProblem p = gen.article("a", 10, 12, 8, 0.6, PooledProblems.markdown(12, 8, 2, 4));
    CouplingWeights[] w = gen.mildWeights(10, 12);
    PooledArticleSolver budgeted = PooledArticleSolver.withNodeBudget(2_000);
    List<PathSummary> solved = budgeted.solve(p, w);
    int[][] own = new int[10][];
    int[][] chosen = new int[10][];
    for (int m = 0; m < 10; m++) {
      own[m] = alone.solve(p.markets().get(m), w[m]).levels();
      chosen[m] = solved.get(m).levels();
    }
    assertThat(PooledArticleSolver.violation(p, chosen)).isEmpty();
    double value = PooledArticleSolver.objective(p, w, solved);
    double heuristic = PooledArticleSolver.objective(p, w, PooledArticleSolver.evaluate(p, own));
    assertThat(value).isGreaterThanOrEqualTo(heuristic - 1e-9 * Math.abs(heuristic));
    assertThat(budgeted.lastExact()).isFalse();
    assertThat(budgeted.lastUpperBound()).isGreaterThan(value);
    assertThat(rationedSomeWeek(p, solved)).isTrue();
    assertThatThrownBy(() -> PooledArticleSolver.withNodeBudget(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create pooled solver: node budget must be >= 1 (0)");
  }

  @Test
  void budgetedBoundHoldsOnTinyInstances() {
    PooledProblems gen = new PooledProblems(31);
    PooledArticleSolver budgeted = PooledArticleSolver.withNodeBudget(3);
    for (int n = 0; n < 20; n++) {
      PooledArticleProblem p = gen.article("a" + n, 2, 4, 3, 0.3 + 0.5 * gen.random().random().nextDouble(), null);
      CouplingWeights[] w = gen.weights(2, 4);
      List<PathSummary> solved = budgeted.solve(p, w);
      double brute = bruteForce(p, w);
      double value = PooledArticleSolver.objective(p, w, solved);
      assertThat(value).as("instance %d", n).isLessThanOrEqualTo(brute + 1e-9 * Math.max(1, Math.abs(brute)));
      assertThat(budgeted.lastUpperBound()).as("instance %d", n).isGreaterThanOrEqualTo(brute - 1e-9 * Math.max(1, Math.abs(brute)));
      if (budgeted.lastExact()) {
        assertThat(value).as("instance %d", n).isCloseTo(brute, within(1e-9 * Math.max(1, Math.abs(brute))));
      }
    }
  }

  @Test
  void rationsThePoolInProportionToDemandAndSplitsProfitByHand() {
    // One level, price 10, no cost. DE wants 6 a week, FR 4; pool 5. Returns: DE 50 % after 1 week,
    // FR none. Pool residual 1, DE residual 3 (late returns), shares 3 and 2.
    int[] locked = {-1, -1};
    Rules rules = new Rules(0, true, 1, Integer.MAX_VALUE, 0, 0, new boolean[2], 1, locked);
    ArticleProblem de = new ArticleProblem("a", "DE", "shoes", new double[] {10, 10}, new double[] {0},
        new double[][] {{6}, {6}}, new double[][] {{0.5}, {0.5}}, new double[][] {{1}, {1}}, new double[][] {{0}, {0}}, 3, 3, rules);
    ArticleProblem fr = new ArticleProblem("a", "FR", "shoes", new double[] {10, 10}, new double[] {0},
        new double[][] {{4}, {4}}, new double[][] {{0}, {0}}, new double[][] {{1}, {1}}, new double[][] {{0}, {0}}, 0, 2, rules);
    PooledArticleProblem p = new PooledArticleProblem("a", List.of(de, fr), 5, 1);
    List<PathSummary> s = PooledArticleSolver.evaluate(p, new int[][] {{0, 0}, {0, 0}});
    // week 0: demand 10 > 5: DE sells 3, FR 2, pool empty; 1.5 DE returns arrive in week 1.
    // week 1: demand 10 > 1.5: DE sells 0.9, FR 0.6; DE's 0.45 returns arrive after its exit (late).
    assertThat(s.get(0).units()).containsExactly(new double[] {3, 0.9}, within(1e-12));
    assertThat(s.get(1).units()).containsExactly(new double[] {2, 0.6}, within(1e-12));
    // DE: revenue 10·3.9·0.5 = 19.5, late 0.45·3 = 1.35, pool: 1·(3 − (3 − 1.5 + 0.9)) = 0.6
    assertThat(s.get(0).profit()).isCloseTo(19.5 + 1.35 + 0.6, within(1e-12));
    // FR: revenue 26, pool: 1·(2 − 2.6) = −0.6
    assertThat(s.get(1).profit()).isCloseTo(26 - 0.6, within(1e-12));
    assertThat(s.get(0).grossValue()).containsExactly(new double[] {30, 9}, within(1e-12));
    assertThat(s.get(0).discountValue()).containsExactly(0, 0);
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

  /** Whether some week sold less than its demand in some market (the pool bound). */
  private static boolean rationedSomeWeek(PooledArticleProblem p, List<PathSummary> s) {
    for (int m = 0; m < s.size(); m++) {
      ArticleProblem market = p.markets().get(m);
      for (int t = 0; t <= market.rules().lastSaleWeek(); t++) {
        if (s.get(m).units()[t] < market.demand()[t][s.get(m).levels()[t]] - 1e-9) {
          return true;
        }
      }
    }
    return false;
  }

  /** The best objective over every combination of admissible per-market paths. */
  private static double bruteForce(PooledArticleProblem p, CouplingWeights[] w) {
    int markets = p.markets().size();
    List<List<int[]>> admissible = new ArrayList<>();
    for (ArticleProblem market : p.markets()) {
      List<int[]> paths = new ArrayList<>();
      for (int[] path : RandomProblems.allPaths(market.weeks(), market.levels())) {
        if (ArticleSolver.admissible(market, path)) {
          paths.add(path);
        }
      }
      admissible.add(paths);
    }
    int[] index = new int[markets];
    int[][] levels = new int[markets][];
    double best = Double.NEGATIVE_INFINITY;
    while (true) {
      for (int m = 0; m < markets; m++) {
        levels[m] = admissible.get(m).get(index[m]);
      }
      best = Math.max(best, PooledArticleSolver.objective(p, w, PooledArticleSolver.evaluate(p, levels)));
      int m = 0;
      while (m < markets && ++index[m] == admissible.get(m).size()) {
        index[m++] = 0;
      }
      if (m == markets) {
        return best;
      }
    }
  }
}
