package io.pricepath.optimizer.pooled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.lagrangian.ArticleCandidates;
import io.pricepath.optimizer.lagrangian.ArticleEvaluation;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class PooledArticleStateTest {

  private static final List<CouplingRow> ROWS = List.of(
      new CouplingRow("DE rate<=0.2", "DE", null, CouplingRow.Kind.DISCOUNT_RATE_MAX, 0.2, -1),
      new CouplingRow("FR budget", "FR", null, CouplingRow.Kind.MARKDOWN_BUDGET, 500, -1),
      new CouplingRow("NL revenue", "NL", null, CouplingRow.Kind.REVENUE_MIN, 1000, -1),
      new CouplingRow("DE sell-through", "DE", null, CouplingRow.Kind.SELL_THROUGH_MIN, 0.5, -1),
      new CouplingRow("FR bags rate>=0.05", "FR", "bags", CouplingRow.Kind.DISCOUNT_RATE_MIN, 0.05, -1));

  private final PooledArticleSolver solver = new PooledArticleSolver();

  @Test
  void rowsAreThoseOfAnyMarket() {
    PooledArticleProblem p = new PooledProblems(3).article("a", 2, 4, 3, 0.5, PooledProblems.markdown(4, 3, 2, 4));
    assertThat(PooledArticleState.of(p, ROWS).rows()).containsExactly(0, 1, 3);
    assertThat(PooledArticleState.of(p, ROWS).problem().key()).isEqualTo("a|DE+FR");
  }

  @Test
  void solveCachesJointSolutionsWhoseActivitySumsTheMarkets() {
    PooledArticleProblem p = new PooledProblems(4).article("a", 2, 6, 4, 0.5, PooledProblems.markdown(6, 4, 2, 3));
    PooledArticleState state = PooledArticleState.of(p, ROWS);
    double[] lambda = {0.4, 0.3, 0, 2.0, 0};
    PooledArticleState solved = state.solve(lambda, ROWS, solver);
    assertThat(state.size()).isZero();
    assertThat(solved.size()).isEqualTo(1);
    List<PathSummary> paths = solved.cached(0);
    // the solution is the solver's under the rows' weights of each market
    CouplingWeights[] weights = {
      CouplingRow.weights(ROWS, new int[] {0, 3}, lambda, 6), CouplingRow.weights(ROWS, new int[] {1}, lambda, 6)};
    List<PathSummary> direct = solver.solve(p, weights);
    assertThat(PooledArticleSolver.objective(p, weights, paths))
        .isCloseTo(PooledArticleSolver.objective(p, weights, direct), within(1e-9));
    // with the pool's allocation, which sums to at most the pool
    double[] shares = solved.cachedShares(0);
    assertThat(shares).containsExactly(solver.lastShares());
    assertThat(shares[0] + shares[1]).isLessThanOrEqualTo(p.poolStock());
    ArticleProblem de = p.markets().get(0);
    ArticleProblem fr = p.markets().get(1);
    double profit = paths.get(0).profit() + paths.get(1).profit();
    double g0 = ROWS.get(0).contribution(de, paths.get(0));
    double g1 = ROWS.get(1).contribution(fr, paths.get(1));
    double g3 = ROWS.get(3).contribution(de, paths.get(0));
    ArticleEvaluation e = solved.lastEvaluation();
    assertThat(e.profit()).isCloseTo(profit, within(1e-9));
    assertThat(e.rowActivity()).containsExactly(new double[] {g0, g1, 0, g3, 0}, within(1e-9));
    assertThat(e.lagrangian()).isCloseTo(profit - 0.4 * g0 - 0.3 * g1 - 2.0 * g3, within(1e-9));
    assertThat(e.articles()).isEqualTo(2);
    // same multipliers: same solution, cached once
    PooledArticleState again = solved.solve(lambda, ROWS, solver);
    assertThat(again.size()).isEqualTo(1);
    assertThat(again.lastIndex()).isZero();
    // other multipliers: a second candidate; the best cached one under each λ is the one solved for it
    double[] other = {0, 0, 0, 0, 0};
    PooledArticleState two = again.solve(other, ROWS, solver);
    assertThat(two.size()).isEqualTo(2);
    assertThat(two.bestCachedIndex(other)).isEqualTo(1);
    assertThat(two.bestCachedIndex(lambda)).isZero();
    assertThat(two.bestCached(lambda, ROWS).lagrangian()).isCloseTo(e.lagrangian(), within(1e-9));
    ArticleCandidates candidates = two.candidates(ROWS);
    assertThat(candidates.key()).isEqualTo("a|DE+FR");
    assertThat(candidates.rows()).containsExactly(0, 1, 3);
    assertThat(candidates.profit()[0]).isCloseTo(profit, within(1e-9));
    assertThat(candidates.activity()[0]).containsExactly(new double[] {g0, g1, g3}, within(1e-9));
  }

  @Test
  void reportsMisuse() {
    PooledArticleProblem p = new PooledProblems(5).article("a", 2, 3, 3, 0.5, null);
    PooledArticleState state = PooledArticleState.of(p, ROWS);
    assertThatThrownBy(state::lastEvaluation)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot evaluate pooled article a|DE+FR: it was never solved");
    assertThatThrownBy(() -> state.bestCachedIndex(new double[5]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot price cached paths of pooled article a|DE+FR: it was never solved");
    assertThatThrownBy(() -> state.solve(new double[2], ROWS, solver))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot price pooled article a|DE+FR: 2 multipliers for 5 coupling rows");
  }
}
