package io.pricepath.optimizer.lagrangian;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricepath.optimizer.RandomProblems;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.article.Rules;
import io.pricepath.optimizer.exact.ExactResult;
import io.pricepath.optimizer.exact.PathMip;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decomposition against the exact optimum of the whole problem (a path-selection MIP over
 * every admissible path of every article) on random instances of up to 200 articles with every
 * rule (live discounts, markdown-only or not, steps, change limits, bounds, no-touch weeks, locks,
 * exit weeks) and every kind of target (rate bounds, budgets, revenue, sell-through; per market,
 * per category, per week; some soft). {@code -Dpricepath.exactness.instances=N} runs a larger sweep.
 */
class DecompositionExactnessTest {

  private static final DecompositionSettings SETTINGS = new DecompositionSettings(30, 1e-6, 10);
  private static final double TOLERANCE = 1e-4;

  @Test
  void matchesTheExactOptimumWithinOneBasisPointAndNeverViolatesAHardRow() {
    int instances = Integer.getInteger("pricepath.exactness.instances", 50);
    RandomProblems gen = new RandomProblems(4242);
    List<Double> distances = new ArrayList<>();
    int infeasible = 0;
    int certified = 0;
    long decompositionNanos = 0;
    long exactNanos = 0;
    for (int n = 0; n < instances; n++) {
      int articles = n % 10 == 0 ? 150 + gen.random().nextInt(51) : 10 + gen.random().nextInt(70);
      int weeks = 4 + gen.random().nextInt(3);
      int levels = weeks == 6 ? 3 : 3 + gen.random().nextInt(2);
      List<ArticleProblem> problems = instance(gen, articles, weeks, levels);
      List<CouplingRow> rows = rows(gen, problems, n % 4 == 3);
      long start = System.nanoTime();
      LocalArticlePool pool = new LocalArticlePool(problems, rows);
      DecompositionResult result = LagrangianDecomposition.solve(pool, rows, SETTINGS);
      decompositionNanos += System.nanoTime() - start;
      start = System.nanoTime();
      ExactResult exact = PathMip.solve(problems, rows, 60);
      exactNanos += System.nanoTime() - start;
      LagrangianDecompositionTest.assertPlan(problems, rows, pool, result);
      if (exact.status().equals("INFEASIBLE")) {
        infeasible++;
        System.out.println("infeasible instance " + n + ": " + result.summary());
        assertThat(result.feasible()).as("instance %d", n).isFalse();
        assertThat(result.outcome()).isEqualTo(DecompositionResult.Outcome.MISSED);
        continue;
      }
      assertThat(exact.optimal()).as("instance %d: %s", n, exact.status()).isTrue();
      assertThat(result.feasible()).as("instance %d", n).isTrue();
      double scale = Math.abs(exact.objective());
      assertThat(result.primalObjective()).as("instance %d", n).isLessThanOrEqualTo(exact.objective() + 1e-7 * scale);
      assertThat(result.dualBound()).as("instance %d", n).isGreaterThanOrEqualTo(exact.objective() - 1e-7 * scale);
      double distance = (exact.objective() - result.primalObjective()) / scale;
      assertThat(distance).as("instance %d (%d articles)", n, articles).isLessThanOrEqualTo(TOLERANCE);
      distances.add(Math.max(0, distance));
      certified += result.provenOptimal() ? 1 : 0;
    }
    System.out.printf(
        "Decomposition vs exact path MIP: %d instances (%d infeasible, both agree), %d feasible: mean distance %.5f %% "
            + "(max %.5f %%), %d proven optimal by the decomposition; decomposition %.1f s, exact %.1f s in all%n",
        instances, infeasible, distances.size(), 100 * distances.stream().mapToDouble(d -> d).average().orElse(0),
        100 * distances.stream().mapToDouble(d -> d).max().orElse(0), certified, decompositionNanos / 1e9, exactNanos / 1e9);
  }

  /** Articles over DE and FR, shoes and bags; half with every kind of rule drawn at random. */
  static List<ArticleProblem> instance(RandomProblems gen, int articles, int weeks, int levels) {
    List<ArticleProblem> problems = new ArrayList<>();
    for (int i = 0; i < articles; i++) {
      String market = i % 2 == 0 ? "DE" : "FR";
      String category = gen.random().nextBoolean() ? "shoes" : "bags";
      Rules rules;
      if (gen.random().nextBoolean()) {
        rules = gen.rules(weeks, levels);
      } else {
        int[] locked = new int[weeks];
        Arrays.fill(locked, -1);
        rules = new Rules(gen.random().nextInt(2), true, 1 + gen.random().nextInt(2), 1 + gen.random().nextInt(weeks), 0,
            levels - 1, new boolean[weeks], weeks - 1, locked);
      }
      double cover = gen.random().nextDouble() < 0.8 ? 0.5 + 0.9 * gen.random().nextDouble() : Double.POSITIVE_INFINITY;
      problems.add(gen.article("a" + i, market, category, weeks, levels, cover, rules));
    }
    return problems;
  }

  /**
   * Targets that bind against the plan without targets: rate bounds per market, a budget, a
   * category rate, revenue and budget in one week, sell-through; with {@code soft}, one made soft.
   */
  static List<CouplingRow> rows(RandomProblems gen, List<ArticleProblem> problems, boolean soft) {
    ArticleSolver solver = new ArticleSolver();
    List<CouplingRow> probes = List.of(
        new CouplingRow("DE rate", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, 0, -1),
        new CouplingRow("FR spend", "FR", null, CouplingRow.Kind.MARKDOWN_BUDGET, 0, -1),
        new CouplingRow("FR shoes rate", "FR", "shoes", CouplingRow.Kind.DISCOUNT_RATE_MAX, 0, -1),
        new CouplingRow("DE revenue wk1", "DE", null, CouplingRow.Kind.REVENUE_MIN, 0, 1),
        new CouplingRow("FR sold", "FR", null, CouplingRow.Kind.SELL_THROUGH_MIN, 0, -1),
        new CouplingRow("DE bags spend wk2", "DE", "bags", CouplingRow.Kind.MARKDOWN_BUDGET, 0, 2),
        new CouplingRow("FR gross", "FR", null, CouplingRow.Kind.DISCOUNT_RATE_MIN, 0, -1));
    // with target 0: rate rows give Σ d·p0·s (and −Σ … for the minimum), budgets Σ d·p0·s, revenue
    // −Σ (1 − d)·p0·s, sell-through −Σ s; gross value from the rate-max row at target 1 below
    double[] free = new double[probes.size()];
    double[] gross = new double[probes.size()];
    double stock = 0;
    for (ArticleProblem p : problems) {
      PathSummary s = solver.solve(p, CouplingWeights.none(p.weeks()));
      for (int i = 0; i < probes.size(); i++) {
        CouplingRow row = probes.get(i);
        if (row.appliesTo(p)) {
          free[i] += row.contribution(p, s);
          gross[i] += new CouplingRow("g", row.market(), row.category(), CouplingRow.Kind.DISCOUNT_RATE_MIN, 1, row.week())
              .contribution(p, s);
        }
      }
      if (p.market().equals("FR") && p.startStock() != Double.POSITIVE_INFINITY) {
        stock += p.startStock();
      }
    }
    java.util.Random r = gen.random();
    List<CouplingRow> rows = new ArrayList<>();
    double deRate = free[0] / (gross[0] + free[0]);
    rows.add(new CouplingRow("DE rate<=", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, clamp((0.7 + 0.28 * r.nextDouble()) * deRate), -1));
    rows.add(new CouplingRow("DE rate>=", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MIN, clamp(0.3 * deRate), -1));
    rows.add(new CouplingRow("FR budget", "FR", null, CouplingRow.Kind.MARKDOWN_BUDGET, (0.7 + 0.28 * r.nextDouble()) * free[1], -1));
    double frShoes = free[2] / Math.max(1e-9, gross[2] + free[2]);
    rows.add(new CouplingRow("FR shoes rate<=", "FR", "shoes", CouplingRow.Kind.DISCOUNT_RATE_MAX, clamp((0.8 + 0.4 * r.nextDouble()) * frShoes), -1));
    if (r.nextBoolean()) {
      rows.add(new CouplingRow("DE revenue wk1", "DE", null, CouplingRow.Kind.REVENUE_MIN, (0.85 + 0.15 * r.nextDouble()) * -free[3], 1));
    }
    if (r.nextBoolean() && stock > 0) {
      rows.add(new CouplingRow("FR sell-through", "FR", null, CouplingRow.Kind.SELL_THROUGH_MIN,
          clamp((0.85 + 0.15 * r.nextDouble()) * -free[4] / stock), -1));
    }
    if (r.nextBoolean()) {
      rows.add(new CouplingRow("DE bags budget wk2", "DE", "bags", CouplingRow.Kind.MARKDOWN_BUDGET, (0.6 + 0.35 * r.nextDouble()) * free[5], 2));
    }
    if (soft) {
      int i = r.nextInt(rows.size());
      rows.set(i, rows.get(i).soft(0.05 + 0.5 * r.nextDouble()));
    }
    return rows;
  }

  private static double clamp(double fraction) {
    return Math.max(0, Math.min(1, fraction));
  }
}
