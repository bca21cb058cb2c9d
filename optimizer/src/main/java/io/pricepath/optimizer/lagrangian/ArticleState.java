package io.pricepath.optimizer.lagrangian;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One article inside a decomposition: its problem, the coupling rows it takes part in and every
 * distinct path it has been solved to. Immutable: {@link #solve} returns a new state, so a state
 * cached by an engine (a Spark RDD partition) stays valid.
 */
public final class ArticleState implements Serializable {

  private static final long serialVersionUID = 1L;

  private final ArticleProblem problem;
  private final int[] rows;
  private final List<PathSummary> paths;
  private final List<double[]> activity;
  private final ArticleEvaluation last;
  private final int lastIndex;

  private ArticleState(
      ArticleProblem problem, int[] rows, List<PathSummary> paths, List<double[]> activity, ArticleEvaluation last, int lastIndex) {
    this.problem = problem;
    this.rows = rows;
    this.paths = paths;
    this.activity = activity;
    this.last = last;
    this.lastIndex = lastIndex;
  }

  /** A state of {@code p} with no cached path, taking part in the rows of {@code rows} that apply to it. */
  public static ArticleState of(ArticleProblem p, List<CouplingRow> rows) {
    int[] applying = new int[rows.size()];
    int n = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).appliesTo(p)) {
        applying[n++] = i;
      }
    }
    return new ArticleState(p, Arrays.copyOf(applying, n), List.of(), List.of(), null, -1);
  }

  /**
   * Solves the article exactly under {@code lambda} (one multiplier per row of {@code rows}) and
   * returns a new state whose cache holds the solution (once, however often it is found) and whose
   * {@link #lastEvaluation()} is the solution's evaluation. This state is left unchanged.
   */
  public ArticleState solve(double[] lambda, List<CouplingRow> rows, ArticleSolver solver) {
    return solve(lambda, rows, solver, 1);
  }

  /**
   * As {@link #solve(double[], List, ArticleSolver)}, and also caches the next best paths under
   * {@code lambda}, up to {@code paths} in all; the evaluation is that of the best one.
   */
  public ArticleState solve(double[] lambda, List<CouplingRow> rows, ArticleSolver solver, int paths) {
    checkLambda(lambda, rows);
    CouplingWeights weights = CouplingRow.weights(rows, this.rows, lambda, problem.weeks());
    List<PathSummary> found = paths == 1 ? List.of(solver.solve(problem, weights)) : solver.solveBest(problem, weights, paths);
    List<PathSummary> nextPaths = new ArrayList<>(this.paths);
    List<double[]> nextActivity = new ArrayList<>(activity);
    int first = -1;
    for (PathSummary path : found) {
      int index = indexOf(nextPaths, path.levels());
      if (index < 0) {
        double[] g = new double[this.rows.length];
        for (int j = 0; j < g.length; j++) {
          g[j] = rows.get(this.rows[j]).contribution(problem, path);
        }
        nextPaths.add(path);
        nextActivity.add(g);
        index = nextPaths.size() - 1;
      }
      if (first < 0) {
        first = index;
      }
    }
    List<PathSummary> p = Collections.unmodifiableList(nextPaths);
    List<double[]> a = Collections.unmodifiableList(nextActivity);
    ArticleState next = new ArticleState(problem, this.rows, p, a, null, first);
    return new ArticleState(problem, this.rows, p, a, next.evaluate(first, lambda, rows.size()), first);
  }

  /**
   * The evaluation of the path found by the last {@link #solve}.
   *
   * @throws IllegalStateException when the article was never solved
   */
  public ArticleEvaluation lastEvaluation() {
    if (last == null) {
      throw new IllegalStateException("Cannot evaluate article %s: it was never solved".formatted(problem.key()));
    }
    return last;
  }

  /** Index in the cache of the path found by the last {@link #solve}, -1 when never solved. */
  public int lastIndex() {
    return lastIndex;
  }

  /**
   * The evaluation of the cached path that is best under {@code lambda} (no solving).
   *
   * @throws IllegalStateException when the cache is empty
   */
  public ArticleEvaluation bestCached(double[] lambda, List<CouplingRow> rows) {
    checkLambda(lambda, rows);
    return evaluate(bestCachedIndex(lambda), lambda, rows.size());
  }

  /** Index of the cached path with the highest {@code profit − λ·g} (the first on ties). */
  public int bestCachedIndex(double[] lambda) {
    if (paths.isEmpty()) {
      throw new IllegalStateException("Cannot price cached paths of article %s: it was never solved".formatted(problem.key()));
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

  /** Every cached path's profit and activity in the article's rows, for primal recovery. */
  public ArticleCandidates candidates(List<CouplingRow> rows) {
    int n = paths.size();
    double[] profit = new double[n];
    double[][] g = new double[n][];
    for (int j = 0; j < n; j++) {
      profit[j] = paths.get(j).profit();
      g[j] = activity.get(j).clone();
    }
    return new ArticleCandidates(problem.key(), profit, this.rows.clone(), g);
  }

  /** Cached path {@code index}, in the order the paths were first found. */
  public PathSummary cached(int index) {
    return paths.get(index);
  }

  /** Number of distinct cached paths. */
  public int size() {
    return paths.size();
  }

  /** The article's problem. */
  public ArticleProblem problem() {
    return problem;
  }

  /** Indexes of the coupling rows the article takes part in. */
  public int[] rows() {
    return rows.clone();
  }

  private double lagrangian(int index, double[] lambda) {
    double value = paths.get(index).profit();
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
    return new ArticleEvaluation(lagrangian(index, lambda), paths.get(index).profit(), rowActivity, 1);
  }

  private static int indexOf(List<PathSummary> paths, int[] levels) {
    for (int j = 0; j < paths.size(); j++) {
      if (Arrays.equals(paths.get(j).levels(), levels)) {
        return j;
      }
    }
    return -1;
  }

  private void checkLambda(double[] lambda, List<CouplingRow> rows) {
    if (lambda.length != rows.size()) {
      throw new IllegalArgumentException(
          "Cannot price article %s: %d multipliers for %d coupling rows".formatted(problem.key(), lambda.length, rows.size()));
    }
  }
}
