package io.pricepath.optimizer.pooled;

import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.lagrangian.ArticleCandidates;
import io.pricepath.optimizer.lagrangian.ArticleEvaluation;
import io.pricepath.optimizer.lagrangian.ArticleState;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * A pooled article inside a Lagrangian decomposition, with the API of {@link ArticleState}: its
 * problem, the coupling rows any of its markets takes part in, and every distinct joint solution
 * (the pool's allocation and one path per market) it has been solved to. A candidate's activity in a row sums the
 * contributions of its markets (each market contributes only to the rows that apply to it), and
 * its profit is the article's profit over all markets; an evaluation counts one article per
 * market. Immutable: {@link #solve} returns a new state.
 */
public final class PooledArticleState implements Serializable {

  private static final long serialVersionUID = 1L;

  private final PooledArticleProblem problem;
  private final int[][] marketRows;
  private final int[] rows;
  private final List<List<PathSummary>> paths;
  private final List<double[]> shares;
  private final List<double[]> activity;
  private final ArticleEvaluation last;
  private final int lastIndex;

  private PooledArticleState(
      PooledArticleProblem problem,
      int[][] marketRows,
      int[] rows,
      List<List<PathSummary>> paths,
      List<double[]> shares,
      List<double[]> activity,
      ArticleEvaluation last,
      int lastIndex) {
    this.problem = problem;
    this.marketRows = marketRows;
    this.rows = rows;
    this.paths = paths;
    this.shares = shares;
    this.activity = activity;
    this.last = last;
    this.lastIndex = lastIndex;
  }

  /** A state of {@code p} with no cached solution, taking part in the rows of {@code rows} that apply to any of its markets. */
  public static PooledArticleState of(PooledArticleProblem p, List<CouplingRow> rows) {
    int markets = p.markets().size();
    int[][] marketRows = new int[markets][];
    TreeSet<Integer> union = new TreeSet<>();
    for (int m = 0; m < markets; m++) {
      int[] applying = new int[rows.size()];
      int n = 0;
      for (int i = 0; i < rows.size(); i++) {
        if (rows.get(i).appliesTo(p.markets().get(m))) {
          applying[n++] = i;
          union.add(i);
        }
      }
      marketRows[m] = Arrays.copyOf(applying, n);
    }
    int[] all = union.stream().mapToInt(Integer::intValue).toArray();
    return new PooledArticleState(p, marketRows, all, List.of(), List.of(), List.of(), null, -1);
  }

  /**
   * Solves the pooled article exactly under {@code lambda} (one multiplier per row of {@code rows};
   * each market priced by the rows that apply to it) and returns a new state whose cache holds the
   * solution (once, however often it is found) and whose {@link #lastEvaluation()} is its
   * evaluation. This state is left unchanged.
   */
  public PooledArticleState solve(double[] lambda, List<CouplingRow> rows, PooledArticleSolver solver) {
    checkLambda(lambda, rows);
    int markets = problem.markets().size();
    CouplingWeights[] weights = new CouplingWeights[markets];
    for (int m = 0; m < markets; m++) {
      weights[m] = CouplingRow.weights(rows, marketRows[m], lambda, problem.weeks());
    }
    List<PathSummary> found = solver.solve(problem, weights);
    double[] allocated = solver.lastShares();
    List<List<PathSummary>> nextPaths = new ArrayList<>(paths);
    List<double[]> nextShares = new ArrayList<>(shares);
    List<double[]> nextActivity = new ArrayList<>(activity);
    int index = indexOf(nextPaths, nextShares, found, allocated);
    if (index < 0) {
      double[] g = new double[this.rows.length];
      for (int j = 0; j < g.length; j++) {
        CouplingRow row = rows.get(this.rows[j]);
        for (int m = 0; m < markets; m++) {
          g[j] += row.contribution(problem.markets().get(m), found.get(m));
        }
      }
      nextPaths.add(List.copyOf(found));
      nextShares.add(allocated);
      nextActivity.add(g);
      index = nextPaths.size() - 1;
    }
    List<List<PathSummary>> p = Collections.unmodifiableList(nextPaths);
    List<double[]> y = Collections.unmodifiableList(nextShares);
    List<double[]> a = Collections.unmodifiableList(nextActivity);
    PooledArticleState next = new PooledArticleState(problem, marketRows, this.rows, p, y, a, null, index);
    return new PooledArticleState(problem, marketRows, this.rows, p, y, a, next.evaluate(index, lambda, rows.size()), index);
  }

  /**
   * The evaluation of the solution found by the last {@link #solve}.
   *
   * @throws IllegalStateException when the article was never solved
   */
  public ArticleEvaluation lastEvaluation() {
    if (last == null) {
      throw new IllegalStateException("Cannot evaluate pooled article %s: it was never solved".formatted(problem.key()));
    }
    return last;
  }

  /** Index in the cache of the solution found by the last {@link #solve}, -1 when never solved. */
  public int lastIndex() {
    return lastIndex;
  }

  /**
   * The evaluation of the cached solution that is best under {@code lambda} (no solving).
   *
   * @throws IllegalStateException when the cache is empty
   */
  public ArticleEvaluation bestCached(double[] lambda, List<CouplingRow> rows) {
    checkLambda(lambda, rows);
    return evaluate(bestCachedIndex(lambda), lambda, rows.size());
  }

  /**
   * Index of the cached solution with the highest {@code profit − λ·g} (the first on ties).
   *
   * @throws IllegalStateException when the cache is empty
   */
  public int bestCachedIndex(double[] lambda) {
    if (paths.isEmpty()) {
      throw new IllegalStateException(
          "Cannot price cached paths of pooled article %s: it was never solved".formatted(problem.key()));
    }
    int best = 0;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < paths.size(); j++) {
      double value = lagrangian(j, lambda);
      if (value > bestValue) {
        bestValue = value;
        best = j;
      }
    }
    return best;
  }

  /**
   * Every cached solution's profit and activity in the article's rows, for primal recovery, under
   * the key {@link PooledArticleProblem#key()}.
   */
  public ArticleCandidates candidates(List<CouplingRow> rows) {
    int n = paths.size();
    double[] profit = new double[n];
    double[][] g = new double[n][];
    for (int j = 0; j < n; j++) {
      profit[j] = profit(j);
      g[j] = activity.get(j).clone();
    }
    return new ArticleCandidates(problem.key(), profit, this.rows.clone(), g);
  }

  /** Cached solution {@code index}: one path summary per market, in market order. */
  public List<PathSummary> cached(int index) {
    return paths.get(index);
  }

  /**
   * Units of the pool allocated to each market by cached solution {@code index}, in market order
   * (see {@link PooledArticleSolver#lastShares()}).
   */
  public double[] cachedShares(int index) {
    return shares.get(index).clone();
  }

  /** Number of distinct cached solutions. */
  public int size() {
    return paths.size();
  }

  /** The pooled article's problem. */
  public PooledArticleProblem problem() {
    return problem;
  }

  /** Indexes of the coupling rows any of the article's markets takes part in, ascending. */
  public int[] rows() {
    return rows.clone();
  }

  private double profit(int index) {
    double profit = 0;
    for (PathSummary s : paths.get(index)) {
      profit += s.profit();
    }
    return profit;
  }

  private double lagrangian(int index, double[] lambda) {
    double value = profit(index);
    double[] g = activity.get(index);
    for (int j = 0; j < rows.length; j++) {
      value -= lambda[rows[j]] * g[j];
    }
    return value;
  }

  private ArticleEvaluation evaluate(int index, double[] lambda, int rowCount) {
    double[] rowActivity = new double[rowCount];
    double[] g = activity.get(index);
    for (int j = 0; j < rows.length; j++) {
      rowActivity[rows[j]] = g[j];
    }
    return new ArticleEvaluation(lagrangian(index, lambda), profit(index), rowActivity, problem.markets().size());
  }

  private static int indexOf(List<List<PathSummary>> paths, List<double[]> shares, List<PathSummary> found, double[] allocated) {
    for (int j = 0; j < paths.size(); j++) {
      List<PathSummary> cached = paths.get(j);
      boolean same = Arrays.equals(shares.get(j), allocated);
      for (int m = 0; m < found.size() && same; m++) {
        same = Arrays.equals(cached.get(m).levels(), found.get(m).levels());
      }
      if (same) {
        return j;
      }
    }
    return -1;
  }

  private void checkLambda(double[] lambda, List<CouplingRow> rows) {
    if (lambda.length != rows.size()) {
      throw new IllegalArgumentException(
          "Cannot price pooled article %s: %d multipliers for %d coupling rows".formatted(problem.key(), lambda.length, rows.size()));
    }
  }
}
