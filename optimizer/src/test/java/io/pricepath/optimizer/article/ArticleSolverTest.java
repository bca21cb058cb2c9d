package io.pricepath.optimizer.article;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.optimizer.RandomProblems;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArticleSolverTest {

  private final ArticleSolver solver = new ArticleSolver();

  @Test
  void matchesBruteForceOnRandomInstancesWithAllRules() {
    RandomProblems gen = new RandomProblems(42);
    int branchAndBound = 0;
    for (int n = 0; n < 400; n++) {
      int weeks = 2 + gen.random().nextInt(4);
      int levels = 2 + gen.random().nextInt(3);
      double cover = switch (n % 4) {
        case 0 -> 0.3 + 0.7 * gen.random().nextDouble();
        case 1 -> 0.6;
        case 2 -> Double.POSITIVE_INFINITY;
        default -> 10.0;
      };
      ArticleProblem p = gen.article("a" + n, "DE", "shoes", weeks, levels, cover, gen.rules(weeks, levels));
      CouplingWeights w = n % 5 == 0 ? CouplingWeights.none(weeks) : gen.weights(weeks);
      PathSummary solved = solver.solve(p, w);
      if (solver.lastNodes() > 0) {
        branchAndBound++;
      }
      double bestBrute = Double.NEGATIVE_INFINITY;
      for (int[] path : RandomProblems.allPaths(weeks, levels)) {
        if (ArticleSolver.admissible(p, path)) {
          bestBrute = Math.max(bestBrute, ArticleSolver.objective(p, w, ArticleSolver.summarize(p, path)));
        }
      }
      assertThat(ArticleSolver.violation(p, solved.levels())).as("instance %d", n).isEmpty();
      assertThat(ArticleSolver.objective(p, w, solved))
          .as("instance %d path %s", n, Arrays.toString(solved.levels()))
          .isCloseTo(bestBrute, within(1e-9 * Math.max(1, Math.abs(bestBrute))));
    }
    assertThat(branchAndBound).isGreaterThan(100);
  }

  /**
   * 3 weeks, 1 level (no discount), price 10, demand 6/6/6, returns 50 % after 1 week, cost 1,
   * residual value 2, on sale until {@code exit}.
   */
  private static ArticleProblem handMade(int exit, double stock, double[] incoming) {
    double[][] demand = {{6}, {6}, {6}};
    double[][] returnRate = {{0.5}, {0.5}, {0.5}};
    double[][] returnWeeks = {{1}, {1}, {1}};
    double[][] cost = {{1}, {1}, {1}};
    Rules rules = new Rules(0, true, 1, Integer.MAX_VALUE, 0, 0, new boolean[3], exit, new int[] {-1, -1, -1});
    return new ArticleProblem("a", "DE", "shoes", new double[] {10, 10, 10}, new double[] {0}, demand, returnRate,
        returnWeeks, cost, 2, stock, rules, incoming);
  }

  @Test
  void evaluatesStockReturnsAndResidualValueByHand() {
    ArticleProblem p = handMade(2, 10, new double[3]);
    PathOutcome outcome = ArticleSolver.evaluate(p, new int[] {0, 0, 0});
    // week 0: sell 6, 3 come back in week 1 -> stock 4 + 3 = 7; week 1: sell 6, 3 back -> 1 + 3 = 4;
    // week 2: sell 4, 2 come back after the horizon; left 0.
    assertThat(outcome.units()).containsExactly(6, 6, 4);
    assertThat(outcome.stockStart()).containsExactly(10, 7, 4);
    assertThat(outcome.profit()).containsExactly(6 * 10 * 0.5 - 6, 6 * 10 * 0.5 - 6, 4 * 10 * 0.5 - 4);
    assertThat(outcome.terminalValue()).isEqualTo(2 * 2.0);
    assertThat(outcome.totalProfit()).isEqualTo(24 + 24 + 16 + 4);
  }

  @Test
  void returnsOfSalesBeforeThePlanWeekComeBackIntoStock() {
    // stock 6, exit week 1; 4 units of earlier sales come back in week 1, 3 after the exit week
    ArticleProblem p = handMade(1, 6, new double[] {0, 4, 3});
    PathOutcome outcome = ArticleSolver.evaluate(p, new int[] {0, 0, 0});
    // week 0: sell 6 of 6, 3 back in week 1 -> 0 + 3 + 4 = 7; week 1 (exit): sell 6, 3 back late;
    // left 1, plus 3 + 3 late, at 2 each
    assertThat(outcome.stockStart()[0]).isEqualTo(6);
    assertThat(outcome.stockStart()[1]).isEqualTo(7);
    assertThat(outcome.units()).containsExactly(6, 6, 0);
    assertThat(outcome.terminalValue()).isEqualTo(2 * (1 + 3 + 3));
    // without them week 1 sells the 3 returns of week 0 alone
    assertThat(ArticleSolver.evaluate(handMade(1, 6, new double[3]), new int[] {0, 0, 0}).units())
        .containsExactly(6, 3, 0);
    assertThat(p.withStartStock(8).incoming()).containsExactly(0, 4, 3);
    assertThatThrownBy(() -> handMade(1, 6, new double[] {0, -1, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("incoming returns of a/DE");
  }

  @Test
  void exitWeekStopsSalesAndHoldsTheLevel() {
    RandomProblems gen = new RandomProblems(7);
    int[] locked = {-1, -1, -1, 0};
    Rules rules = new Rules(0, true, 3, Integer.MAX_VALUE, 0, 3, new boolean[4], 1, locked);
    ArticleProblem p = gen.article("a", "DE", "shoes", 4, 4, 0.7, rules);
    PathSummary s = solver.solve(p, CouplingWeights.none(4));
    assertThat(s.levels()[2]).isEqualTo(s.levels()[1]);
    assertThat(s.levels()[3]).isEqualTo(s.levels()[1]);
    assertThat(s.units()[2]).isZero();
    assertThat(s.units()[3]).isZero();
  }

  @Test
  void locksWinOverMarkdownOnlyAndTheChangeLimit() {
    RandomProblems gen = new RandomProblems(3);
    int[] locked = {-1, 0, -1, -1};
    Rules rules = new Rules(2, true, 1, 0, 0, 3, new boolean[4], 3, locked);
    ArticleProblem p = gen.article("a", "DE", "shoes", 4, 4, 0.8, rules);
    PathSummary s = solver.solve(p, CouplingWeights.none(4));
    assertThat(s.levels()).containsExactly(2, 0, 0, 0);
    assertThat(ArticleSolver.violation(p, new int[] {2, 0, 1, 1}))
        .contains("week 2: change 1 exceeds the most 0 changes");
    assertThat(ArticleSolver.violation(p, new int[] {2, 1, 1, 1})).contains("week 1: level 1 differs from the locked level 0");
  }

  @Test
  void explainsEveryKindOfViolation() {
    RandomProblems gen = new RandomProblems(5);
    boolean[] noTouch = {false, false, true, false};
    Rules rules = new Rules(1, true, 1, 5, 1, 2, noTouch, 3, new int[] {-1, -1, -1, -1});
    ArticleProblem p = gen.article("a", "DE", "shoes", 4, 4, 0.8, rules);
    assertThat(ArticleSolver.violation(p, new int[] {1, 1, 1, 1})).isEmpty();
    assertThat(ArticleSolver.violation(p, new int[] {0, 0, 0, 0})).contains("week 0: level 0 is outside [1, 2]");
    assertThat(ArticleSolver.violation(p, new int[] {2, 1, 1, 1}))
        .contains("week 1: level 1 raises the price after level 2 (markdown only)");
    assertThat(ArticleSolver.violation(p, new int[] {1, 2, 1, 1}))
        .contains("week 2: level 1 differs from level 2 before this no-touch week");
    assertThat(ArticleSolver.violation(p, new int[] {1, 1, 1, 3})).contains("week 3: level 3 is outside [1, 2]");
    assertThat(ArticleSolver.violation(p, new int[] {1, 1, 1})).contains("path covers 3 weeks, the horizon 4");
    assertThat(ArticleSolver.violation(p, new int[] {1, 1, 1, 4})).contains("week 3: level 4 is not on the ladder of 4 levels");
    Rules wide = new Rules(0, true, 1, 5, 0, 3, new boolean[4], 3, new int[] {-1, -1, -1, -1});
    ArticleProblem q = gen.article("b", "DE", "shoes", 4, 4, 0.8, wide);
    assertThat(ArticleSolver.violation(q, new int[] {0, 2, 2, 2}))
        .contains("week 1: level 2 moves more than 1 steps from level 0");
  }

  @Test
  void rejectsLiveLevelsOffTheLadder() {
    RandomProblems gen = new RandomProblems(5);
    Rules rules = new Rules(4, true, 1, 5, 0, 3, new boolean[2], 1, new int[] {-1, -1});
    ArticleProblem p = gen.article("a", "DE", "shoes", 2, 4, 0.8, rules);
    assertThatThrownBy(() -> solver.solve(p, CouplingWeights.none(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot solve article a|DE: live level is not on its ladder of 4 levels (4)");
    ArticleProblem q = gen.article("b", "DE", "shoes", 2, 4, 0.8, Rules.markdownOnly(2, 4));
    assertThatThrownBy(() -> solver.solve(q, CouplingWeights.none(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot solve article b|DE: coupling weights cover 3 weeks, the horizon 2");
  }

  @Test
  void reportsSolveRateOnTwelveWeeksEightLevelsWithBindingStock() {
    RandomProblems gen = new RandomProblems(11);
    List<ArticleProblem> problems = new java.util.ArrayList<>();
    List<CouplingWeights> weights = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Rules rules = new Rules(0, true, 2, Integer.MAX_VALUE, 0, 7, new boolean[12], 11, filled(12, -1));
      problems.add(gen.article("a" + i, "DE", "shoes", 12, 8, 0.5 + 0.5 * gen.random().nextDouble(), rules));
      weights.add(gen.weights(12));
    }
    for (int i = 0; i < 200; i++) {
      solver.solve(problems.get(i), weights.get(i));
    }
    long start = System.nanoTime();
    long nodes = 0;
    int rounds = 3;
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < problems.size(); i++) {
        PathSummary s = solver.solve(problems.get(i), weights.get(i));
        nodes += solver.lastNodes();
        assertThat(s.levels()).hasSize(12);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int solves = rounds * problems.size();
    System.out.printf(
        "ArticleSolver: %.0f solves/s (12 weeks x 8 levels, binding stock, returns, coupling weights; %.0f nodes/solve)%n",
        solves / seconds, (double) nodes / solves);
  }

  private static int[] filled(int n, int value) {
    int[] a = new int[n];
    Arrays.fill(a, value);
    return a;
  }
}
