package io.pricepath.optimizer.exact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.optimizer.RandomProblems;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.article.Rules;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExactMipTest {

  @Test
  void agreesWithTheArticleSolverOnSingleArticlesWithAllRules() {
    RandomProblems gen = new RandomProblems(2024);
    ArticleSolver solver = new ArticleSolver();
    for (int n = 0; n < 60; n++) {
      int weeks = 2 + gen.random().nextInt(4);
      int levels = 2 + gen.random().nextInt(3);
      double cover = n % 5 == 0 ? Double.POSITIVE_INFINITY : 0.3 + gen.random().nextDouble();
      ArticleProblem p = gen.article("a" + n, "DE", "shoes", weeks, levels, cover, gen.rules(weeks, levels));
      PathSummary solved = solver.solve(p, CouplingWeights.none(weeks));
      ExactResult exact = ExactMip.solve(List.of(p), List.of(), 10);
      assertThat(exact.optimal()).as("instance %d", n).isTrue();
      int[] mipLevels = exact.levels().get(p.key());
      assertThat(ArticleSolver.violation(p, mipLevels)).as("instance %d", n).isEmpty();
      double tolerance = 1e-6 * Math.max(1, Math.abs(solved.profit()));
      assertThat(exact.objective()).as("instance %d", n).isCloseTo(solved.profit(), within(tolerance));
      assertThat(ArticleSolver.evaluate(p, mipLevels).totalProfit()).as("instance %d", n).isCloseTo(solved.profit(), within(tolerance));
    }
  }

  @Test
  void meetsCouplingRowsAcrossArticles() {
    RandomProblems gen = new RandomProblems(9);
    List<ArticleProblem> articles = gen.market(6, 4, 4);
    CouplingRow rate = new CouplingRow("DE rate<=0.1", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, 0.1, -1);
    CouplingRow budget = new CouplingRow("FR budget", "FR", null, CouplingRow.Kind.MARKDOWN_BUDGET, 300, -1);
    ExactResult exact = ExactMip.solve(articles, List.of(rate, budget), 20);
    assertThat(exact.optimal()).isTrue();
    double[] g = new double[2];
    double profit = 0;
    for (ArticleProblem p : articles) {
      PathSummary s = ArticleSolver.summarize(p, exact.levels().get(p.key()));
      g[0] += rate.contribution(p, s);
      g[1] += budget.contribution(p, s);
      profit += s.profit();
    }
    assertThat(g[0]).isLessThanOrEqualTo(1e-6);
    assertThat(g[1]).isLessThanOrEqualTo(300 + 1e-6);
    assertThat(profit).isCloseTo(exact.objective(), within(1e-6 * Math.abs(profit)));
  }

  @Test
  void reportsInfeasibleRows() {
    RandomProblems gen = new RandomProblems(9);
    Rules rules = new Rules(2, true, 1, 3, 0, 3, new boolean[3], 2, new int[] {-1, -1, -1});
    ArticleProblem p = gen.article("a", "DE", "shoes", 3, 4, 0.8, rules);
    CouplingRow rate = new CouplingRow("DE rate<=0.1", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, 0.1, -1);
    ExactResult exact = ExactMip.solve(List.of(p), List.of(rate), 5);
    assertThat(exact.status()).isEqualTo("INFEASIBLE");
    assertThat(exact.optimal()).isFalse();
    assertThat(exact.levels()).isEmpty();
    assertThat(exact.objective()).isNaN();
  }

  @Test
  void rejectsDuplicateKeys() {
    RandomProblems gen = new RandomProblems(9);
    ArticleProblem p = gen.article("a", "DE", "shoes", 3, 4, 0.8, Rules.markdownOnly(3, 4));
    assertThatThrownBy(() -> ExactMip.solve(List.of(p, p), List.of(), 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build the exact MIP: article key a|DE appears twice; keys must be unique");
  }
}
