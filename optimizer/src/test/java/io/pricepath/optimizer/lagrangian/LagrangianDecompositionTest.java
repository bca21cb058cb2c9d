package io.pricepath.optimizer.lagrangian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.optimizer.RandomProblems;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.article.Rules;
import io.pricepath.optimizer.exact.ExactMip;
import io.pricepath.optimizer.exact.ExactResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagrangianDecompositionTest {

  private static final DecompositionSettings SETTINGS = new DecompositionSettings(30, 1e-5, 5);

  /**
   * Against the exact MIP under a time limit: SCIP's incumbent and bound sandwich the optimum, so
   * the assertions hold whether or not it proved optimality in time; distances to the optimum are
   * measured on the instances it did prove.
   */
  @Test
  void matchesTheExactMipOnRandomMultiArticleInstances() {
    RandomProblems gen = new RandomProblems(77);
    List<Double> distances = new ArrayList<>();
    List<Double> largeDistances = new ArrayList<>();
    List<Double> gaps = new ArrayList<>();
    int iterations = 0;
    int instances = 8;
    for (int n = 0; n < instances; n++) {
      int articles = 5 + gen.random().nextInt(36);
      int weeks = 4 + gen.random().nextInt(3);
      List<ArticleProblem> problems = gen.market(articles, weeks, 4);
      List<CouplingRow> rows = bindingRows(problems, gen);
      ExactResult exact = ExactMip.solve(problems, rows, 2.5);
      LocalArticlePool pool = new LocalArticlePool(problems, rows);
      DecompositionResult result = LagrangianDecomposition.solve(pool, rows, SETTINGS);
      assertThat(result.feasible()).as("instance %d", n).isTrue();
      assertPlan(problems, rows, pool, result);
      double scale = Math.abs(result.dualBound());
      if (!exact.levels().isEmpty()) {
        assertThat(result.primalObjective()).as("instance %d", n).isLessThanOrEqualTo(exact.bound() + 1e-6 * scale);
        double incumbent = 0;
        for (ArticleProblem p : problems) {
          incumbent += ArticleSolver.evaluate(p, exact.levels().get(p.key())).totalProfit();
        }
        assertThat(incumbent).as("instance %d", n).isCloseTo(exact.objective(), within(1e-6 * scale));
        assertThat(result.dualBound()).as("instance %d", n).isGreaterThanOrEqualTo(incumbent - 1e-6 * scale);
      }
      // the optimum is at most the least of SCIP's bound and the dual bound
      double ceiling = exact.levels().isEmpty() ? result.dualBound() : Math.min(exact.bound(), result.dualBound());
      double distance = (ceiling - result.primalObjective()) / Math.abs(ceiling);
      if (exact.optimal()) {
        distances.add((exact.objective() - result.primalObjective()) / Math.abs(exact.objective()));
      }
      gaps.add(result.gap());
      iterations += result.iterations().size();
      if (articles >= 20) {
        largeDistances.add(distance);
        assertThat(distance).as("instance %d (%d articles)", n, articles).isLessThanOrEqualTo(0.005);
      }
    }
    System.out.printf(
        "Decomposition vs exact MIP: %d instances, %d proven optimal in 2.5 s: mean distance %.4f%% (max %.4f%%); "
            + ">=20 articles: mean distance to the least upper bound %.4f%% (max %.4f%%); mean gap %.4f%% (max %.4f%%); %.1f iterations%n",
        instances, distances.size(), 100 * mean(distances), 100 * max(distances), 100 * mean(largeDistances),
        100 * max(largeDistances), 100 * mean(gaps), 100 * max(gaps), (double) iterations / instances);
  }

  @Test
  void meetsRevenueAndSellThroughTargetsLikeTheExactMip() {
    RandomProblems gen = new RandomProblems(5);
    for (int n = 0; n < 3; n++) {
      List<ArticleProblem> problems = gen.market(8, 4, 4);
      ArticleSolver solver = new ArticleSolver();
      double revenue = 0;
      double units = 0;
      double stock = 0;
      for (ArticleProblem p : problems) {
        PathSummary s = solver.solve(p, CouplingWeights.none(4));
        for (int t = 0; t < 4; t++) {
          if (p.market().equals("DE")) {
            revenue += s.grossValue()[t] - s.discountValue()[t];
          } else if (p.startStock() != Double.POSITIVE_INFINITY) {
            units += s.units()[t];
          }
        }
        if (p.market().equals("FR") && p.startStock() != Double.POSITIVE_INFINITY) {
          stock += p.startStock();
        }
      }
      List<CouplingRow> rows = List.of(
          new CouplingRow("DE revenue", "DE", null, CouplingRow.Kind.REVENUE_MIN, 1.05 * revenue, -1),
          new CouplingRow("FR sell-through", "FR", null, CouplingRow.Kind.SELL_THROUGH_MIN, Math.min(1, 1.05 * units / stock), -1));
      ExactResult exact = ExactMip.solve(problems, rows, 10);
      LocalArticlePool pool = new LocalArticlePool(problems, rows);
      DecompositionResult result = LagrangianDecomposition.solve(pool, rows, SETTINGS);
      assertPlan(problems, rows, pool, result);
      if (exact.optimal()) {
        assertThat(result.feasible()).isTrue();
        double scale = Math.abs(exact.objective());
        assertThat(result.primalObjective()).isLessThanOrEqualTo(exact.objective() + 1e-6 * scale);
        assertThat(result.dualBound()).isGreaterThanOrEqualTo(exact.objective() - 1e-6 * scale);
      } else {
        assertThat(exact.status()).isEqualTo("INFEASIBLE");
        assertThat(result.feasible()).isFalse();
      }
    }
  }

  @Test
  void stopsAtOnceWhenTheUnconstrainedOptimumMeetsEveryRow() {
    RandomProblems gen = new RandomProblems(8);
    List<ArticleProblem> problems = gen.market(10, 4, 4);
    List<CouplingRow> rows = List.of(
        new CouplingRow("DE rate<=0.9", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, 0.9, -1),
        new CouplingRow("FR budget", "FR", "shoes", CouplingRow.Kind.MARKDOWN_BUDGET, 1e9, 2));
    LocalArticlePool pool = new LocalArticlePool(problems, rows);
    List<DecompositionResult.Iteration> seen = new ArrayList<>();
    DecompositionResult result = LagrangianDecomposition.solve(pool, rows, SETTINGS, seen::add);
    assertThat(result.iterations()).hasSize(1);
    assertThat(seen).isEqualTo(result.iterations());
    assertThat(result.gap()).isZero();
    assertThat(result.feasible()).isTrue();
    assertThat(result.lambda()).containsExactly(0, 0);
    assertThat(result.primalObjective()).isEqualTo(result.dualBound());
    assertPlan(problems, rows, pool, result);
  }

  @Test
  void provesEarlyThatHardRowsCannotBeMetAndSaysWhichAndByHowMuch() {
    List<ArticleProblem> problems = lockedAtTwentyPercent();
    List<CouplingRow> rows = List.of(
        new CouplingRow("DE rate<=0", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, 0, -1),
        new CouplingRow("DE budget", "DE", null, CouplingRow.Kind.MARKDOWN_BUDGET, 1e9, -1));
    LocalArticlePool pool = new LocalArticlePool(problems, rows);
    DecompositionResult result = LagrangianDecomposition.solve(pool, rows, new DecompositionSettings(30, 1e-5, 3));
    assertThat(result.feasible()).isFalse();
    assertThat(result.outcome()).isEqualTo(DecompositionResult.Outcome.MISSED);
    assertThat(result.infeasibilityProven()).isTrue();
    assertThat(result.gap()).isEqualTo(Double.POSITIVE_INFINITY);
    // stopped as soon as the dual fell below the least profit any plan makes, not after 30 iterations
    assertThat(result.iterations().size()).isLessThan(10);
    assertThat(result.choice()).hasSize(6);
    assertPlan(problems, rows, pool, result);
    // the least-violating plan holds week 0's locked discount and sells at full price after it
    double discountValue = 0;
    for (ArticleProblem p : problems) {
      PathSummary s = pool.path(p.key(), result.choice().get(p.key()));
      assertThat(s.levels()).containsExactly(2, 2, 2, 2);
      discountValue += java.util.Arrays.stream(s.discountValue()).sum();
    }
    DecompositionResult.RowOutcome rate = result.rows().get(0);
    assertThat(rate.met()).isFalse();
    assertThat(rate.inProof()).isTrue();
    assertThat(rate.violation()).isCloseTo(discountValue, within(1e-6 * discountValue));
    assertThat(result.rows().get(1).met()).isTrue();
    assertThat(result.rows().get(1).inProof()).isFalse();
    assertThat(result.summary()).isEqualTo(String.format(java.util.Locale.ROOT,
        "TARGETS NOT ALL MET: DE rate<=0 by %,.2f; no plan can meet DE rate<=0 together (proved by the dual bound); "
            + "returned the least-violating plan found", rate.violation()));
  }

  @Test
  void softRowsCapTheirMultiplierAtThePenaltyAndPayForTheViolation() {
    List<ArticleProblem> problems = lockedAtTwentyPercent();
    CouplingRow hard = new CouplingRow("DE rate<=0", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, 0, -1);
    // per run: every row without a penalty of its own becomes soft
    List<CouplingRow> rows = List.of(hard);
    LocalArticlePool pool = new LocalArticlePool(problems, rows);
    DecompositionResult result = LagrangianDecomposition.solve(pool, rows, new DecompositionSettings(30, 1e-6, 5).withSoftPenalty(0.25));
    assertThat(result.feasible()).isTrue();
    assertThat(result.outcome()).isEqualTo(DecompositionResult.Outcome.SOFTENED);
    assertThat(result.lambda()[0]).isLessThanOrEqualTo(0.25);
    DecompositionResult.RowOutcome row = result.rows().get(0);
    assertThat(row.met()).isFalse();
    assertThat(row.penalty()).isEqualTo(0.25);
    assertThat(row.penaltyPaid()).isCloseTo(0.25 * row.violation(), within(1e-9 * row.violation()));
    assertThat(result.penaltyPaid()).isEqualTo(row.penaltyPaid());
    assertThat(result.summary()).startsWith("hard targets met; soft targets violated: DE rate<=0 by ");
    // against the exact optimum of the penalised problem, with the row soft on the row itself
    List<CouplingRow> softRows = List.of(hard.soft(0.25));
    io.pricepath.optimizer.exact.ExactResult exact = io.pricepath.optimizer.exact.PathMip.solve(problems, softRows, 30);
    assertThat(exact.optimal()).isTrue();
    assertThat(result.primalObjective()).isCloseTo(exact.objective(), within(1e-6 * Math.abs(exact.objective())));
    assertThat(result.dualBound()).isGreaterThanOrEqualTo(exact.objective() - 1e-6 * Math.abs(exact.objective()));
    assertPlan(problems, softRows, pool, result);
    DecompositionResult same = LagrangianDecomposition.solve(new LocalArticlePool(problems, softRows), softRows, SETTINGS);
    assertThat(same.primalObjective()).isCloseTo(result.primalObjective(), within(1e-6 * Math.abs(exact.objective())));
  }

  @Test
  void rejectsNegativeOrInfinitePenalties() {
    CouplingRow row = new CouplingRow("DE rate<=0", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, 0, -1);
    assertThat(row.isSoft()).isFalse();
    assertThatThrownBy(() -> row.soft(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("penalty of coupling row DE rate<=0 must be NaN (hard) or finite and >= 0 (-1.0)");
    assertThatThrownBy(() -> row.soft(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot soften coupling row DE rate<=0: the penalty is NaN");
    assertThatThrownBy(() -> SETTINGS.withSoftPenalty(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("softPenalty must be NaN (fail) or finite and >= 0 (Infinity)");
  }

  /** Six articles whose week 0 is locked at 20 % off: the discount rate cannot be 0. */
  private static List<ArticleProblem> lockedAtTwentyPercent() {
    RandomProblems gen = new RandomProblems(8);
    List<ArticleProblem> problems = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Rules rules = new Rules(0, true, 1, Integer.MAX_VALUE, 0, 3, new boolean[4], 3, new int[] {2, -1, -1, -1});
      problems.add(gen.article("a" + i, "DE", "shoes", 4, 4, 0.8, rules));
    }
    return problems;
  }

  @Test
  void roundsAndRepairsWhenTheSelectionIsTooLargeForTheMip() {
    RandomProblems gen = new RandomProblems(31);
    List<ArticleProblem> problems = gen.market(30, 5, 4);
    List<CouplingRow> rows = bindingRows(problems, gen);
    LocalArticlePool pool = new LocalArticlePool(problems, rows);
    DecompositionResult result = LagrangianDecomposition.solve(pool, rows, SETTINGS);
    double[] rhs = rows.stream().mapToDouble(CouplingRow::rhs).toArray();
    PrimalRecovery.Plan repaired = new PrimalRecovery(pool.candidates(), rhs, 0, 1).recover();
    assertThat(repaired.feasible()).isTrue();
    assertThat(repaired.profit()).isLessThanOrEqualTo(result.primalObjective() + 1e-9 * Math.abs(result.primalObjective()));
    assertThat((result.dualBound() - repaired.profit()) / result.dualBound()).isLessThan(0.02);
    System.out.printf(
        "Primal recovery on 30 articles: MIP %.2f, LP rounding + repair %.2f (%.4f%% lower), dual bound %.2f%n",
        result.primalObjective(), repaired.profit(), 100 * (result.primalObjective() - repaired.profit()) / result.primalObjective(),
        result.dualBound());
  }

  static List<CouplingRow> bindingRows(List<ArticleProblem> problems, RandomProblems gen) {
    // rates and discount value of the unconstrained optimum per market, then targets that bind
    ArticleSolver solver = new ArticleSolver();
    double[] discount = new double[2];
    double[] gross = new double[2];
    for (ArticleProblem p : problems) {
      PathSummary s = solver.solve(p, CouplingWeights.none(p.weeks()));
      int m = p.market().equals("DE") ? 0 : 1;
      for (int t = 0; t < p.weeks(); t++) {
        discount[m] += s.discountValue()[t];
        gross[m] += s.grossValue()[t];
      }
    }
    double rateDe = discount[0] / gross[0];
    double rateFr = discount[1] / gross[1];
    List<CouplingRow> rows = new ArrayList<>();
    rows.add(new CouplingRow("DE rate<=", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, (0.5 + 0.4 * gen.random().nextDouble()) * rateDe, -1));
    rows.add(new CouplingRow("DE rate>=", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MIN, 0.3 * rateDe, -1));
    rows.add(new CouplingRow("FR budget", "FR", null, CouplingRow.Kind.MARKDOWN_BUDGET, (0.5 + 0.4 * gen.random().nextDouble()) * discount[1], -1));
    rows.add(new CouplingRow("FR shoes rate<=", "FR", "shoes", CouplingRow.Kind.DISCOUNT_RATE_MAX, Math.min(1, 1.2 * rateFr), -1));
    return rows;
  }

  static void assertPlan(List<ArticleProblem> problems, List<CouplingRow> rows, LocalArticlePool pool, DecompositionResult result) {
    double[] activity = new double[rows.size()];
    double[] magnitude = new double[rows.size()];
    double profit = 0;
    for (ArticleProblem p : problems) {
      PathSummary s = pool.path(p.key(), result.choice().get(p.key()));
      assertThat(ArticleSolver.violation(p, s.levels())).as(p.key()).isEmpty();
      profit += s.profit();
      for (int i = 0; i < rows.size(); i++) {
        double g = rows.get(i).contribution(p, s);
        activity[i] += g;
        magnitude[i] += Math.abs(g);
      }
    }
    double paid = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).isSoft()) {
        paid += rows.get(i).penalty() * Math.max(0, activity[i] - rows.get(i).rhs());
      }
    }
    assertThat(result.penaltyPaid()).isCloseTo(paid, within(1e-6 * Math.max(1, Math.abs(profit))));
    assertThat(result.primalObjective()).isCloseTo(profit - paid, within(1e-9 * Math.abs(profit) + 1e-6 * paid));
    for (int i = 0; i < rows.size(); i++) {
      assertThat(result.rowActivity()[i]).isCloseTo(activity[i], org.assertj.core.api.Assertions.within(1e-6 * Math.max(1, magnitude[i])));
      if (result.feasible() && !rows.get(i).isSoft()) {
        assertThat(activity[i]).as(rows.get(i).name()).isLessThanOrEqualTo(rows.get(i).rhs() + 1e-6 * Math.max(1, magnitude[i]));
      }
    }
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }
}
