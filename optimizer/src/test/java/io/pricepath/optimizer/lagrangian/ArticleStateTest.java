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
import java.util.List;
import org.junit.jupiter.api.Test;

class ArticleStateTest {

  private static final List<CouplingRow> ROWS = List.of(
      new CouplingRow("DE rate<=0.2", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, 0.2, -1),
      new CouplingRow("DE shoes rate>=0.05", "DE", "shoes", CouplingRow.Kind.DISCOUNT_RATE_MIN, 0.05, -1),
      new CouplingRow("FR budget", "FR", null, CouplingRow.Kind.MARKDOWN_BUDGET, 500, -1),
      new CouplingRow("DE revenue wk1", "DE", null, CouplingRow.Kind.REVENUE_MIN, 1000, 1),
      new CouplingRow("DE sell-through", "DE", null, CouplingRow.Kind.SELL_THROUGH_MIN, 0.5, -1));

  private final RandomProblems gen = new RandomProblems(12);

  @Test
  void rowsApplyByMarketCategoryWeekAndStock() {
    ArticleProblem shoes = gen.article("a", "DE", "shoes", 4, 4, 0.8, Rules.markdownOnly(4, 4));
    ArticleProblem bags = gen.article("b", "DE", "bags", 4, 4, Double.POSITIVE_INFINITY, Rules.markdownOnly(4, 4));
    assertThat(ArticleState.of(shoes, ROWS).rows()).containsExactly(0, 1, 3, 4);
    assertThat(ArticleState.of(bags, ROWS).rows()).containsExactly(0, 3);
    ArticleProblem short1 = gen.article("c", "DE", "shoes", 1, 4, 0.8, Rules.markdownOnly(1, 4));
    assertThat(ROWS.get(3).appliesTo(short1)).isFalse();
  }

  @Test
  void weightsPriceEveryRowLikeItsContribution() {
    ArticleProblem p = gen.article("a", "DE", "shoes", 4, 4, 0.8, Rules.markdownOnly(4, 4));
    int[] rows = ArticleState.of(p, ROWS).rows();
    double[] lambda = {0.3, 0.7, 0.2, 0.4, 5.0};
    CouplingWeights w = CouplingRow.weights(ROWS, rows, lambda, 4);
    for (int[] levels : RandomProblems.allPaths(4, 4)) {
      PathSummary s = ArticleSolver.summarize(p, levels);
      double lagrangian = s.profit();
      for (int i : rows) {
        lagrangian -= lambda[i] * ROWS.get(i).contribution(p, s);
      }
      // the sell-through row's τ·S_1 is the only constant
      double constant = -lambda[4] * 0.5 * p.startStock();
      assertThat(ArticleSolver.objective(p, w, s) + constant).isCloseTo(lagrangian, within(1e-9 * Math.abs(lagrangian)));
    }
    PathSummary s = ArticleSolver.summarize(p, new int[] {0, 1, 2, 3});
    double gross = s.grossValue()[1];
    double discount = s.discountValue()[1];
    assertThat(ROWS.get(3).contribution(p, s)).isCloseTo(discount - gross, within(1e-9));
    assertThatThrownBy(() -> CouplingRow.weights(ROWS, rows, new double[2], 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot price coupling rows: 2 multipliers for 5 rows");
  }

  @Test
  void solvingReturnsANewStateAndCachesDistinctPaths() {
    ArticleProblem p = gen.article("a", "DE", "shoes", 5, 4, 1.0, Rules.markdownOnly(5, 4));
    ArticleState empty = ArticleState.of(p, ROWS);
    ArticleSolver solver = new ArticleSolver();
    double[] zero = new double[ROWS.size()];
    double[] high = {3, 0, 0, 0, 0};
    ArticleState once = empty.solve(zero, ROWS, solver);
    ArticleState again = once.solve(zero, ROWS, solver);
    ArticleState twice = again.solve(high, ROWS, solver);
    assertThat(empty.size()).isZero();
    assertThat(once.size()).isEqualTo(1);
    assertThat(again.size()).isEqualTo(1);
    assertThat(twice.size()).isEqualTo(2);
    assertThatThrownBy(empty::lastEvaluation)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot evaluate article a|DE: it was never solved");
    // the evaluation is profit − λ·g of the solved path
    ArticleEvaluation e = twice.lastEvaluation();
    PathSummary path = twice.cached(twice.lastIndex());
    assertThat(e.profit()).isEqualTo(path.profit());
    assertThat(e.rowActivity()[0]).isCloseTo(ROWS.get(0).contribution(p, path), within(1e-9));
    assertThat(e.lagrangian()).isCloseTo(path.profit() - 3 * e.rowActivity()[0], within(1e-9));
    // the best cached path under λ = 0 is the unconstrained optimum
    assertThat(twice.bestCached(zero, ROWS).profit()).isEqualTo(once.lastEvaluation().profit());
    assertThat(twice.bestCachedIndex(high)).isEqualTo(twice.lastIndex());
    ArticleCandidates candidates = twice.candidates(ROWS);
    assertThat(candidates.key()).isEqualTo("a|DE");
    assertThat(candidates.rows()).containsExactly(0, 1, 3, 4);
    assertThat(candidates.profit()).containsExactly(twice.cached(0).profit(), twice.cached(1).profit());
    assertThat(candidates.activity()[1][0]).isEqualTo(e.rowActivity()[0]);
    ArticleState best = twice.solve(high, ROWS, solver, 4);
    assertThat(best.size()).isBetween(4, 6);
    assertThat(best.lastIndex()).isEqualTo(twice.lastIndex());
  }

  @Test
  void solveBestListsDistinctAdmissiblePathsBestFirst() {
    ArticleProblem p = gen.article("a", "DE", "shoes", 4, 3, Double.POSITIVE_INFINITY, gen.rules(4, 3));
    ArticleSolver solver = new ArticleSolver();
    CouplingWeights w = gen.weights(4);
    List<PathSummary> best = solver.solveBest(p, w, 5);
    List<Double> all = RandomProblems.allPaths(4, 3).stream()
        .filter(levels -> ArticleSolver.admissible(p, levels))
        .map(levels -> ArticleSolver.objective(p, w, ArticleSolver.summarize(p, levels)))
        .sorted((a, b) -> Double.compare(b, a))
        .toList();
    assertThat(best).hasSize(Math.min(5, all.size()));
    for (int i = 0; i < best.size(); i++) {
      assertThat(ArticleSolver.objective(p, w, best.get(i))).isCloseTo(all.get(i), within(1e-9 * Math.abs(all.get(i))));
    }
  }

  @Test
  void poolRejectsDuplicateKeys() {
    ArticleProblem p = gen.article("a", "DE", "shoes", 4, 4, 0.8, Rules.markdownOnly(4, 4));
    assertThatThrownBy(() -> new LocalArticlePool(List.of(p, p), ROWS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build article pool: article key a|DE appears twice; keys (articleId|market) must be unique");
  }

  @Test
  void cachesPathsCompactlyAndReevaluatesThemOnDemand() {
    ArticleProblem p = gen.article("a", "DE", "shoes", 5, 4, 0.8, gen.rules(5, 4));
    ArticleSolver solver = new ArticleSolver();
    ArticleState state = ArticleState.of(p, ROWS);
    for (double l : new double[] {0, 0.5, 2, 5}) {
      state = state.solve(new double[] {l, l / 2, 0, l / 3, l}, ROWS, solver, 3);
    }
    ArticleCandidates candidates = state.candidates(ROWS);
    for (int i = 0; i < state.size(); i++) {
      PathSummary cached = state.cached(i);
      PathSummary fresh = ArticleSolver.summarize(p, state.levels(i));
      assertThat(cached.levels()).containsExactly(fresh.levels());
      assertThat(cached.profit()).isEqualTo(fresh.profit()).isEqualTo(state.profit(i)).isEqualTo(candidates.profit()[i]);
      assertThat(ArticleSolver.violation(p, cached.levels())).isEmpty();
      for (int j = 0; j < candidates.rows().length; j++) {
        assertThat(candidates.activity()[i][j]).isEqualTo(ROWS.get(candidates.rows()[j]).contribution(p, fresh));
      }
      assertThat(candidates.index()[i]).isEqualTo(i);
    }
    ArticleState finalState = state;
    assertThatThrownBy(() -> finalState.levels(finalState.size()))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("Cannot read cached path of article a|DE: index %d of %d paths".formatted(state.size(), state.size()));
  }

  @Test
  void enumerateCachesEveryPathWithinTheSlackOfTheBest() {
    ArticleProblem p = gen.article("a", "DE", "shoes", 4, 4, 0.7, gen.rules(4, 4));
    ArticleSolver solver = new ArticleSolver();
    double[] lambda = {0.4, 0.2, 0, 0.1, 3};
    int[] rows = ArticleState.of(p, ROWS).rows();
    CouplingWeights w = CouplingRow.weights(ROWS, rows, lambda, 4);
    List<Double> values = RandomProblems.allPaths(4, 4).stream()
        .filter(levels -> ArticleSolver.admissible(p, levels))
        .map(levels -> ArticleSolver.objective(p, w, ArticleSolver.summarize(p, levels)))
        .sorted((x, y) -> Double.compare(y, x))
        .toList();
    double slack = values.size() > 3 ? values.get(0) - values.get(3) : 1;
    long within = values.stream().filter(v -> v >= values.get(0) - slack).count();
    ArticleState all = ArticleState.of(p, ROWS).enumerate(lambda, ROWS, solver, slack, 1000);
    assertThat(all.lastEnumerationComplete()).isTrue();
    assertThat((long) all.size()).isEqualTo(within);
    assertThat(all.lastEvaluation().profit()).isEqualTo(all.profit(all.lastIndex()));
    if (within > 1) {
      ArticleState some = ArticleState.of(p, ROWS).enumerate(lambda, ROWS, solver, slack, 1);
      assertThat(some.lastEnumerationComplete()).isFalse();
      assertThat(some.size()).isEqualTo(1);
    }
    // every admissible path's profit is at least the article's floor
    for (int[] levels : RandomProblems.allPaths(4, 4)) {
      if (ArticleSolver.admissible(p, levels)) {
        assertThat(ArticleSolver.summarize(p, levels).profit()).isGreaterThanOrEqualTo(all.profitFloor());
      }
    }
    assertThatThrownBy(() -> all.enumerate(lambda, ROWS, solver, -1, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot enumerate paths of article a|DE: slack must be >= 0 and at most >= 1 (slack=-1.0, most=4)");
  }

  @Test
  void recoveryCandidatesOpenTheArticlesClosestToATie() {
    List<ArticleProblem> problems = gen.market(12, 4, 4);
    List<CouplingRow> rows = List.of(ROWS.get(0), ROWS.get(2));
    LocalArticlePool pool = new LocalArticlePool(problems, rows);
    pool.solveAll(new double[] {0, 0});
    pool.solveAll(new double[] {0.5, 0.5}, 3);
    double[] lambda = {0.2, 0.3};
    List<ArticleState> states = pool.states();
    int closest = 0;
    for (int i = 1; i < states.size(); i++) {
      if (states.get(i).regret(lambda) < states.get(closest).regret(lambda)) {
        closest = i;
      }
    }
    List<ArticleCandidates> open = pool.candidates(lambda, 1);
    assertThat(open).hasSize(12);
    for (int i = 0; i < states.size(); i++) {
      ArticleState s = states.get(i);
      if (i == closest) {
        assertThat(open.get(i).size()).isEqualTo(s.size());
      } else {
        assertThat(open.get(i).index()).containsExactly(s.bestCachedIndex(lambda));
        assertThat(open.get(i).profit()).containsExactly(s.profit(s.bestCachedIndex(lambda)));
      }
      assertThat(open.get(i).key()).isEqualTo(s.problem().key());
    }
    assertThat(pool.candidates(lambda, 12)).hasSize(12).allSatisfy(c -> assertThat(c.index().length).isEqualTo(c.size()));
    assertThat(pool.bestCached(lambda).articles()).isEqualTo(12);
  }
}
