package io.pricepath.jobs.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.jobs.config.RunConfig;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.PathOutcome;
import io.pricepath.optimizer.article.Rules;
import org.junit.jupiter.api.Test;

/** The review's reasons and their money at stake, worked by hand; and where the list is cut. */
class ReviewTest {
  static final RunConfig.ReviewConfig CONFIG = new RunConfig.ReviewConfig(0.5, 0.6, 8, 1.0, 0.5, 0.8);

  /**
   * 2 weeks, ladder 0 / 50 %, price 10, demand 4 at full price and 8 at half, nothing returned, cost
   * 1 per unit, residual value 2, live at level {@code live}.
   */
  static ArticleProblem problem(int live, double stock, int[] locked) {
    double[][] demand = {{4, 8}, {4, 8}};
    double[][] none = {{0, 0}, {0, 0}};
    double[][] weeks = {{1, 1}, {1, 1}};
    double[][] cost = {{1, 1}, {1, 1}};
    Rules rules = new Rules(live, false, 1, Integer.MAX_VALUE, 0, 1, new boolean[2], 1, locked);
    return new ArticleProblem("a", "DE", "shoes", new double[] {10, 10}, new double[] {0, 0.5}, demand, none, weeks,
        cost, 2, stock, rules);
  }

  static Review.Verdict verdict(ArticleProblem p, int[] plan, Review.History history, String override) {
    PathOutcome chosen = ArticleSolver.evaluate(p, plan);
    PathOutcome live = ArticleSolver.evaluate(p, new int[] {p.rules().liveLevel(), p.rules().liveLevel()});
    return Review.of(p, chosen, live, CONFIG, history, override);
  }

  @Test
  void aDeepMarkdownFromFullPriceStakesItsMarkdownMoneyAndMovesItFromTheLivePrice() {
    // half price both weeks: 8 + 8 units at 5 off = 80 of markdown, all of it moved from the live 0 %;
    // 4 of 20 left (20 %): no stock at risk
    Review.Verdict v = verdict(problem(0, 20, new int[] {-1, -1}), new int[] {1, 1}, null, null);
    assertThat(v.reasons()).extracting(Review.Reason::stake).first().isEqualTo(80.0);
    assertThat(v.text()).contains("departs from the live price: 50 % now, 0 % live (80 of markdown moved)",
        "deep markdown: reaches 50 % (80 of markdown)");
    assertThat(v.stake()).isEqualTo(80.0);
    assertThat(v.override()).isFalse();
    // with 100 in stock, 84 are left at half price: 84 × (5 − 2) above the residual value leads
    assertThat(verdict(problem(0, 100, new int[] {-1, -1}), new int[] {1, 1}, null, null).stake()).isEqualTo(252.0);
  }

  @Test
  void stockLeftIsAtRiskForWhatItsLastPriceHoldsAboveItsResidualValue() {
    // full price, live: 4 + 4 sold of 100, 92 left (92 %), each worth 10 − 2 above its residual value
    Review.Verdict v = verdict(problem(0, 100, new int[] {-1, -1}), new int[] {0, 0}, null, null);
    assertThat(v.reasons()).singleElement().satisfies(r -> {
      assertThat(r.text()).isEqualTo("stock at risk: 92 % of stock left after the horizon (736 above its residual value)");
      assertThat(r.stake()).isEqualTo(92 * 8.0);
    });
  }

  @Test
  void aNewArticleStakesTheShareOfItsRevenueItsForecastCanMiss() {
    // stock 10 at full price, live: 4 + 4 sold (80 %), 2 left (20 %): only the thin history is a reason
    Review.Verdict v = verdict(problem(0, 10, new int[] {-1, -1}), new int[] {0, 0}, new Review.History(0, Double.NaN),
        null);
    assertThat(v.reasons()).singleElement().satisfies(r -> {
      assertThat(r.text()).isEqualTo("new article: no sales history yet, forecast least certain (40 of revenue "
          + "uncertain)");
      assertThat(r.stake()).isCloseTo(0.5 * 80, within(1e-9));
    });
    assertThat(verdict(problem(0, 10, new int[] {-1, -1}), new int[] {0, 0}, new Review.History(3, 0.2), null).text())
        .isEqualTo("thin history: 3 weeks of sales, forecast least certain (40 of revenue uncertain)");
    assertThat(verdict(problem(0, 10, new int[] {-1, -1}), new int[] {0, 0}, new Review.History(8, 0.2), null).reasons())
        .isEmpty();
    // enough weeks, but weekly sales that vary by more than their mean: as uncertain
    assertThat(verdict(problem(0, 10, new int[] {-1, -1}), new int[] {0, 0}, new Review.History(30, 1.3), null).text())
        .isEqualTo("volatile history: weekly sales vary by 130 % of their mean, forecast least certain (40 of revenue "
            + "uncertain)");
  }

  @Test
  void targetsThatCostProfitStakeWhatTheyCost() {
    // live at half price; keeping full price sells 4 + 4 at 10 (profit 72 + 2 × 2 residual) against
    // 8 + 8 at 5 (64): the targets that forced full price would cost nothing here, half price does
    ArticleProblem p = problem(1, 16, new int[] {-1, -1});
    PathOutcome live = ArticleSolver.evaluate(p, new int[] {1, 1});
    PathOutcome full = ArticleSolver.evaluate(p, new int[] {0, 0});
    Review.Verdict v = Review.of(p, live, full, CONFIG, null, null);
    double cost = full.totalProfit() - live.totalProfit();
    assertThat(cost).isPositive();
    assertThat(v.text()).contains("company targets cost");
    assertThat(v.reasons()).extracting(Review.Reason::stake).contains(cost);
  }

  @Test
  void aManagerOverrideIsAlwaysFlaggedAndNamesItsReason() {
    Review.Verdict v = verdict(problem(0, 10, new int[] {0, -1}), new int[] {0, 0}, null, "old colour");
    assertThat(v.override()).isTrue();
    assertThat(v.reasons().get(0).text()).isEqualTo("manager override: old colour");
    assertThat(v.flagged(Double.POSITIVE_INFINITY)).isTrue();
    assertThat(verdict(problem(0, 10, new int[] {-1, -1}), new int[] {0, 0}, null, null).flagged(0)).isFalse();
  }

  @Test
  void theListHoldsTheFewestLargestStakesThatReachTheCoverage() {
    // total 100: 50 + 30 = 80 reach 80 %, so plans from a stake of 30 are flagged
    assertThat(Review.threshold(new double[] {10, 50, 5, 30, 5, 0}, 0.8)).isEqualTo(30);
    assertThat(Review.threshold(new double[] {10, 50, 5, 30, 5}, 0.81)).isEqualTo(10);
    assertThat(Review.threshold(new double[] {10, 50, 5, 30, 5}, 1.0)).isEqualTo(5);
    assertThat(Review.threshold(new double[] {0, 0}, 0.8)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Review.threshold(new double[] {}, 0.8)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Review.plansToCover(new double[] {10, 50, 5, 30, 5, 0}, 0.8)).isEqualTo(2);
    assertThat(Review.plansToCover(new double[] {10, 50, 5, 30, 5, 0}, 1.0)).isEqualTo(5);
    assertThat(Review.plansToCover(new double[] {0, 0}, 0.8)).isZero();
  }
}
