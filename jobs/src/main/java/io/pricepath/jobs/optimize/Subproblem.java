package io.pricepath.jobs.optimize;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.lagrangian.ArticleCandidates;
import io.pricepath.optimizer.lagrangian.ArticleEvaluation;
import io.pricepath.optimizer.lagrangian.ArticleState;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import io.pricepath.optimizer.pooled.PooledArticleProblem;
import io.pricepath.optimizer.pooled.PooledArticleSolver;
import io.pricepath.optimizer.pooled.PooledArticleState;
import java.io.Serializable;
import java.util.List;

/**
 * One subproblem of the decomposition on Spark: an (article, market) with its own stock ({@link
 * ArticleState}), or an article whose markets draw on one stock pool ({@link PooledArticleState},
 * solved exactly as one problem; its activity in each coupling row sums its markets'
 * contributions). Immutable, as the states it wraps.
 *
 * <p>A pooled article caches one joint solution per solve: it takes part in probes and the final
 * enumeration with its best solution only, and reports that enumeration as incomplete.
 */
final class Subproblem implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ArticleState single;
  private final PooledArticleState pooled;
  /** A profit no joint solution of the pooled article falls below, {@code −∞} when unknown. */
  private final double pooledFloor;
  /** Nanoseconds the last solve of a pooled article took. */
  private final long lastNanos;

  private Subproblem(ArticleState single, PooledArticleState pooled, double pooledFloor, long lastNanos) {
    this.single = single;
    this.pooled = pooled;
    this.pooledFloor = pooledFloor;
    this.lastNanos = lastNanos;
  }

  /** One market alone, or an article's markets sharing one pool ({@link ProblemAssembler#pooled}). */
  static Subproblem of(List<ArticleProblem> markets, List<CouplingRow> rows) {
    if (markets.size() == 1) {
      return new Subproblem(ArticleState.of(markets.get(0), rows), null, Double.NaN, 0);
    }
    PooledArticleProblem p = ProblemAssembler.pooled(markets);
    return new Subproblem(null, PooledArticleState.of(p, rows), floor(p), 0);
  }

  /** Solvers of one executor thread. */
  static final class Solvers {
    final ArticleSolver single = new ArticleSolver();
    final PooledArticleSolver pooled = new PooledArticleSolver();
  }

  boolean pooled() {
    return pooled != null;
  }

  /** The markets' problems (one unless pooled; a pooled market's start stock is its attributed share). */
  List<ArticleProblem> markets() {
    return pooled() ? pooled.problem().markets() : List.of(single.problem());
  }

  /** The pooled problem. */
  PooledArticleProblem pooledProblem() {
    return pooled.problem();
  }

  /** The key the decomposition's choice uses. */
  String key() {
    return pooled() ? pooled.problem().key() : single.problem().key();
  }

  /** Indexes of the coupling rows any of its markets takes part in. */
  int[] rows() {
    return pooled() ? pooled.rows() : single.rows();
  }

  /** Nanoseconds the last solve took (pooled articles only; 0 otherwise). */
  long lastNanos() {
    return lastNanos;
  }

  Subproblem solve(double[] lambda, List<CouplingRow> rows, Solvers solvers, int paths) {
    if (!pooled()) {
      return new Subproblem(single.solve(lambda, rows, solvers.single, paths), null, Double.NaN, 0);
    }
    long start = System.nanoTime();
    PooledArticleState next = pooled.solve(lambda, rows, solvers.pooled);
    return new Subproblem(null, next, pooledFloor, System.nanoTime() - start);
  }

  Subproblem enumerate(double[] lambda, List<CouplingRow> rows, Solvers solvers, double slack, int most) {
    if (!pooled()) {
      return new Subproblem(single.enumerate(lambda, rows, solvers.single, slack, most), null, Double.NaN, 0);
    }
    return solve(lambda, rows, solvers, 1);
  }

  /** Whether the last enumeration cached every path within its slack (never for a pooled article). */
  boolean lastEnumerationComplete() {
    return !pooled() && single.lastEnumerationComplete();
  }

  ArticleEvaluation lastEvaluation() {
    return pooled() ? withFloor(pooled.lastEvaluation()) : single.lastEvaluation();
  }

  ArticleEvaluation bestCached(double[] lambda, List<CouplingRow> rows) {
    return pooled() ? withFloor(pooled.bestCached(lambda, rows)) : single.bestCached(lambda, rows);
  }

  ArticleCandidates candidates(List<CouplingRow> rows) {
    return pooled() ? pooled.candidates(rows) : single.candidates(rows);
  }

  /** The best cached solution under {@code lambda} as the only candidate. */
  ArticleCandidates bestCandidate(double[] lambda, List<CouplingRow> rows) {
    if (!pooled()) {
      return single.bestCandidate(lambda);
    }
    int j = pooled.bestCachedIndex(lambda);
    ArticleCandidates all = pooled.candidates(rows);
    return new ArticleCandidates(all.key(), new double[] {all.profit()[j]}, all.rows(),
        new double[][] {all.activity()[j]}, new int[] {j});
  }

  /** What {@code profit − λ·g} loses from the best cached solution to the second best; +∞ with one. */
  double regret(double[] lambda, List<CouplingRow> rows) {
    if (!pooled()) {
      return single.regret(lambda);
    }
    ArticleCandidates all = pooled.candidates(rows);
    double first = Double.NEGATIVE_INFINITY;
    double second = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < all.size(); j++) {
      double value = all.profit()[j];
      for (int i = 0; i < all.rows().length; i++) {
        value -= lambda[all.rows()[i]] * all.activity()[j][i];
      }
      if (value > first) {
        second = first;
        first = value;
      } else if (value > second) {
        second = value;
      }
    }
    return first - second;
  }

  /** Ladder levels per market ({@code [markets][T]}, in the order of {@link #markets()}) of cached solution {@code index}. */
  int[][] levels(int index) {
    if (!pooled()) {
      return new int[][] {single.levels(index)};
    }
    return pooled.cached(index).stream().map(s -> s.levels().clone()).toArray(int[][]::new);
  }

  /** The pool's units each market sells from in cached solution {@code index} (pooled articles only). */
  double[] shares(int index) {
    return pooled.cachedShares(index).clone();
  }

  private ArticleEvaluation withFloor(ArticleEvaluation e) {
    return new ArticleEvaluation(e.lagrangian(), e.profit(), e.rowActivity(), e.articles(), pooledFloor);
  }

  /**
   * A profit no joint solution of {@code p} falls below: the sum of its markets' single-market
   * floors (no sale is worth less than its worst margin on at most its demand, whatever the pool
   * lets it sell), valid when no residual value is negative (stock left in the pool then adds
   * nothing negative); {@code −∞} otherwise.
   */
  private static double floor(PooledArticleProblem p) {
    double floor = 0;
    for (ArticleProblem market : p.markets()) {
      if (market.residualValue() < 0) {
        return Double.NEGATIVE_INFINITY;
      }
      floor += ArticleState.of(market, List.of()).profitFloor();
    }
    return p.residualValue() < 0 ? Double.NEGATIVE_INFINITY : floor;
  }
}
