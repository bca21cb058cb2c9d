package io.pricepath.optimizer.lagrangian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.optimizer.RandomProblems;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.exact.ExactResult;
import io.pricepath.optimizer.exact.PathMip;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A row carrying what was realised before the plan (the season to date): the plan must meet {@code
 * Σ_a g_a ≤ rhs − carried}, so a rate cap holds over the past and the plan together.
 */
class CarriedRowTest {
  private static final DecompositionSettings SETTINGS = new DecompositionSettings(30, 1e-6, 5);

  @Test
  void rhsLessTheCarriedAmountAndEverythingElseKept() {
    CouplingRow cap = new CouplingRow("DE rate<=0.2", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, 0.2, -1);
    assertThat(cap.carried()).isZero();
    assertThat(cap.rhs()).isZero();
    CouplingRow carried = cap.soft(3).carrying("DE rate<=0.2 (season)", 125);
    assertThat(carried.rhs()).isEqualTo(-125);
    assertThat(carried.penalty()).isEqualTo(3);
    assertThat(carried.name()).isEqualTo("DE rate<=0.2 (season)");
    assertThat(carried.soft(4).carried()).isEqualTo(125);
    CouplingRow budget = new CouplingRow("FR budget", "FR", null, CouplingRow.Kind.MARKDOWN_BUDGET, 1000, -1);
    assertThat(budget.carrying("FR budget", 400).rhs()).isEqualTo(600);
    assertThatThrownBy(() -> cap.carrying("x", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("carried of coupling row x must be finite (NaN)");
  }

  @Test
  void aRateCapOverThePastAndThePlanHoldsOverBoth() {
    RandomProblems gen = new RandomProblems(21);
    List<ArticleProblem> problems = gen.market(16, 4, 4).stream().filter(p -> p.market().equals("DE")).toList();
    // the plan without targets, and its discount rate
    double gross = 0;
    double markdown = 0;
    ArticleSolver solver = new ArticleSolver();
    for (ArticleProblem p : problems) {
      PathSummary s = solver.solve(p, CouplingWeights.none(p.weeks()));
      gross += Arrays.stream(s.grossValue()).sum();
      markdown += Arrays.stream(s.discountValue()).sum();
    }
    double free = markdown / gross;
    assertThat(free).isGreaterThan(0.05);
    double hi = 0.6 * free;
    CouplingRow cap = new CouplingRow("DE rate", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, hi, -1);
    // the season before the plan: as much gross as the free plan, sold at hi + 5 points
    double pastGross = gross;
    double pastMarkdown = (hi + 0.05) * pastGross;
    CouplingRow season = cap.carrying("DE rate (season)", pastMarkdown - hi * pastGross);

    double[] alone = planRate(problems, cap);
    double[] both = planRate(problems, season);
    assertThat(alone[1] / alone[0]).isLessThanOrEqualTo(hi + 1e-9);
    // over the past and the plan together the rate is capped, which the plan alone would break
    assertThat((pastMarkdown + both[1]) / (pastGross + both[0])).isLessThanOrEqualTo(hi + 1e-9);
    assertThat((pastMarkdown + alone[1]) / (pastGross + alone[0])).isGreaterThan(hi + 1e-3);
    assertThat(both[1] / both[0]).isLessThan(alone[1] / alone[0] - 1e-3);
  }

  /** Solves with one row, checks the plan against OR-Tools' exact optimum, returns {gross, markdown}. */
  private static double[] planRate(List<ArticleProblem> problems, CouplingRow row) {
    List<CouplingRow> rows = List.of(row);
    LocalArticlePool pool = new LocalArticlePool(problems, rows);
    DecompositionResult result = LagrangianDecomposition.solve(pool, rows, SETTINGS);
    assertThat(result.feasible()).as(row.name()).isTrue();
    ExactResult exact = PathMip.solve(problems, rows, 30);
    assertThat(exact.optimal()).isTrue();
    assertThat(result.primalObjective()).isCloseTo(exact.objective(), within(1e-4 * Math.abs(exact.objective())));
    double gross = 0;
    double markdown = 0;
    double activity = 0;
    for (ArticleProblem p : problems) {
      PathSummary s = pool.path(p.key(), result.choice().get(p.key()));
      gross += Arrays.stream(s.grossValue()).sum();
      markdown += Arrays.stream(s.discountValue()).sum();
      activity += row.contribution(p, s);
    }
    assertThat(activity).isLessThanOrEqualTo(row.rhs() + 1e-6 * gross);
    return new double[] {gross, markdown};
  }
}
