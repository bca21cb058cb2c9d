package io.pricepath.optimizer.lagrangian;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * One article inside a decomposition: its problem, the coupling rows it takes part in and every
 * distinct path it has been solved to. Immutable: {@link #solve} returns a new state, so a state
 * cached by an engine (a Spark RDD partition) stays valid.
 *
 * <p>The cache is compact: per path its ladder levels (two bytes a week) and a few doubles (its
 * profit and its g in each of the article's rows) — all that pricing under any multipliers and
 * primal recovery need; {@link #cached(int)} re-evaluates the full summary on demand.
 */
public final class ArticleState implements Serializable {

  private static final long serialVersionUID = 2L;

  /** First number of paths {@link #enumerate} asks the solver for; doubled while paths are within the slack. */
  private static final int FIRST_BATCH = 8;

  private final ArticleProblem problem;
  private final int[] rows;
  private final int rowCount;
  private final double floor;
  private final int count;
  /** {@code [count · weeks]} ladder levels of the cached paths. */
  private final char[] levels;
  /** {@code [count · (1 + rows.length)]}: per path its profit, then its g in each of {@link #rows}. */
  private final double[] values;
  private final int lastIndex;
  private final double lastLagrangian;
  private final boolean lastComplete;

  private ArticleState(ArticleProblem problem, int[] rows, int rowCount, double floor, int count, char[] levels,
      double[] values, int lastIndex, double lastLagrangian, boolean lastComplete) {
    this.problem = problem;
    this.rows = rows;
    this.rowCount = rowCount;
    this.floor = floor;
    this.count = count;
    this.levels = levels;
    this.values = values;
    this.lastIndex = lastIndex;
    this.lastLagrangian = lastLagrangian;
    this.lastComplete = lastComplete;
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
    return new ArticleState(p, Arrays.copyOf(applying, n), rows.size(), profitFloor(p), 0, new char[0], new double[0], -1,
        Double.NaN, false);
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
    return withPaths(found, found.size(), lambda, rows, false);
  }

  /**
   * Solves the article exactly under {@code lambda} and caches every admissible path whose {@code
   * profit − λ·g} is within {@code slack} of the best, at most {@code most} of them (the best
   * first). {@link #lastEnumerationComplete()} tells whether every path within the slack was
   * cached. The evaluation is that of the best path.
   *
   * <p>With {@code slack} the distance between a dual bound at {@code lambda} and the value of a
   * plan meeting every hard row, every path of every better plan is within the slack of its
   * article's best (its reduced costs sum to at most the slack): a selection over complete
   * enumerations is exact.
   *
   * @throws IllegalArgumentException when {@code slack} is negative or NaN, or {@code most < 1}
   */
  public ArticleState enumerate(double[] lambda, List<CouplingRow> rows, ArticleSolver solver, double slack, int most) {
    checkLambda(lambda, rows);
    if (!(slack >= 0) || most < 1) {
      throw new IllegalArgumentException(
          "Cannot enumerate paths of article %s: slack must be >= 0 and at most >= 1 (slack=%s, most=%d)"
              .formatted(problem.key(), slack, most));
    }
    CouplingWeights weights = CouplingRow.weights(rows, this.rows, lambda, problem.weeks());
    int n = Math.min(FIRST_BATCH, most);
    while (true) {
      List<PathSummary> found = solver.solveBest(problem, weights, n);
      double best = ArticleSolver.objective(problem, weights, found.get(0));
      int within = 0;
      while (within < found.size() && ArticleSolver.objective(problem, weights, found.get(within)) >= best - slack) {
        within++;
      }
      boolean exhausted = found.size() < n || within < found.size();
      if (exhausted || n >= most) {
        return withPaths(found, within, lambda, rows, exhausted);
      }
      n = (int) Math.min(most, 2L * n);
    }
  }

  private ArticleState withPaths(List<PathSummary> found, int use, double[] lambda, List<CouplingRow> rows, boolean complete) {
    int weeks = problem.weeks();
    int width = 1 + this.rows.length;
    char[] nextLevels = levels;
    double[] nextValues = values;
    int n = count;
    int first = -1;
    for (int f = 0; f < use; f++) {
      PathSummary path = found.get(f);
      int[] l = path.levels();
      int index = indexOf(nextLevels, n, l);
      if (index < 0) {
        if (nextLevels == levels) {
          nextLevels = Arrays.copyOf(levels, (count + use - f) * weeks);
          nextValues = Arrays.copyOf(values, (count + use - f) * width);
        }
        for (int t = 0; t < weeks; t++) {
          nextLevels[n * weeks + t] = (char) l[t];
        }
        nextValues[n * width] = path.profit();
        for (int j = 0; j < this.rows.length; j++) {
          nextValues[n * width + 1 + j] = rows.get(this.rows[j]).contribution(problem, path);
        }
        index = n++;
      }
      if (first < 0) {
        first = index;
      }
    }
    if (n != count && nextLevels.length != n * weeks) {
      nextLevels = Arrays.copyOf(nextLevels, n * weeks);
      nextValues = Arrays.copyOf(nextValues, n * width);
    }
    ArticleState next = new ArticleState(problem, this.rows, rowCount, floor, n, nextLevels, nextValues, first, 0, complete);
    return new ArticleState(problem, this.rows, rowCount, floor, n, nextLevels, nextValues, first,
        next.lagrangian(first, lambda), complete);
  }

  /**
   * The evaluation of the path found by the last {@link #solve}.
   *
   * @throws IllegalStateException when the article was never solved
   */
  public ArticleEvaluation lastEvaluation() {
    if (lastIndex < 0) {
      throw new IllegalStateException("Cannot evaluate article %s: it was never solved".formatted(problem.key()));
    }
    return evaluation(lastIndex, lastLagrangian);
  }

  /** Index in the cache of the path found by the last {@link #solve}, -1 when never solved. */
  public int lastIndex() {
    return lastIndex;
  }

  /** Whether the last {@link #enumerate} cached every path within its slack (false after {@link #solve}). */
  public boolean lastEnumerationComplete() {
    return lastComplete;
  }

  /**
   * The evaluation of the cached path that is best under {@code lambda} (no solving).
   *
   * @throws IllegalStateException when the cache is empty
   */
  public ArticleEvaluation bestCached(double[] lambda, List<CouplingRow> rows) {
    checkLambda(lambda, rows);
    int best = bestCachedIndex(lambda);
    return evaluation(best, lagrangian(best, lambda));
  }

  /** Index of the cached path with the highest {@code profit − λ·g} (the first on ties). */
  public int bestCachedIndex(double[] lambda) {
    checkSolved();
    int best = 0;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < count; j++) {
      double value = lagrangian(j, lambda);
      if (value > bestValue) {
        bestValue = value;
        best = j;
      }
    }
    return best;
  }

  /**
   * How much {@code profit − λ·g} the article gives up by moving from its best cached path under
   * {@code lambda} to its second best: small regrets mark the articles whose choice is open in
   * primal recovery. {@code +∞} with a single cached path.
   */
  public double regret(double[] lambda) {
    checkSolved();
    double first = Double.NEGATIVE_INFINITY;
    double second = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < count; j++) {
      double value = lagrangian(j, lambda);
      if (value > first) {
        second = first;
        first = value;
      } else if (value > second) {
        second = value;
      }
    }
    return first - second;
  }

  /** Every cached path's profit and activity in the article's rows, for primal recovery. */
  public ArticleCandidates candidates(List<CouplingRow> rows) {
    int width = 1 + this.rows.length;
    double[] profit = new double[count];
    double[][] g = new double[count][];
    for (int j = 0; j < count; j++) {
      profit[j] = values[j * width];
      g[j] = Arrays.copyOfRange(values, j * width + 1, (j + 1) * width);
    }
    return new ArticleCandidates(problem.key(), profit, this.rows.clone(), g);
  }

  /** The best cached path under {@code lambda} as the article's only candidate. */
  public ArticleCandidates bestCandidate(double[] lambda) {
    int j = bestCachedIndex(lambda);
    int width = 1 + rows.length;
    return new ArticleCandidates(problem.key(), new double[] {values[j * width]}, rows,
        new double[][] {Arrays.copyOfRange(values, j * width + 1, (j + 1) * width)}, new int[] {j});
  }

  /** Cached path {@code index}, in the order the paths were first found (re-evaluated from its levels). */
  public PathSummary cached(int index) {
    return ArticleSolver.summarize(problem, levels(index));
  }

  /** Ladder levels of cached path {@code index}. */
  public int[] levels(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException(
          "Cannot read cached path of article %s: index %d of %d paths".formatted(problem.key(), index, count));
    }
    int weeks = problem.weeks();
    int[] l = new int[weeks];
    for (int t = 0; t < weeks; t++) {
      l[t] = levels[index * weeks + t];
    }
    return l;
  }

  /** Profit of cached path {@code index}. */
  public double profit(int index) {
    return values[index * (1 + rows.length)];
  }

  /** Number of distinct cached paths. */
  public int size() {
    return count;
  }

  /** The article's problem. */
  public ArticleProblem problem() {
    return problem;
  }

  /** Indexes of the coupling rows the article takes part in. */
  public int[] rows() {
    return rows.clone();
  }

  /** A profit no admissible path of the article falls below (see {@link ArticleEvaluation#profitFloor()}). */
  public double profitFloor() {
    return floor;
  }

  /**
   * A profit no path of {@code p} can fall below: every week sells between nothing and its demand
   * at the worst level's unit margin, and stock left or returned late is worth the residual value.
   */
  static double profitFloor(ArticleProblem p) {
    double floor = 0;
    double returned = 0;
    int exit = p.rules().lastSaleWeek();
    for (int t = 0; t <= exit; t++) {
      double worst = 0;
      double mostReturned = 0;
      for (int k = 0; k < p.levels(); k++) {
        double q = p.demand()[t][k];
        double r = p.returnRate()[t][k];
        double margin = p.blackPrice()[t] * (1 - p.ladder()[k]) * (1 - r) - p.fulfillmentCost()[t][k];
        worst = Math.min(worst, margin * q);
        mostReturned = Math.max(mostReturned, r * q);
      }
      floor += worst;
      returned += mostReturned;
    }
    if (p.residualValue() < 0) {
      double stock = p.startStock() == Double.POSITIVE_INFINITY ? 0
          : p.startStock() + Arrays.stream(p.incoming()).sum();
      floor += p.residualValue() * (stock + returned);
    }
    return floor;
  }

  /** {@code profit − λ·g} of the path found by the last {@link #solve}. */
  double lastLagrangian() {
    return lastLagrangian;
  }

  /** {@code profit − λ·g} of cached path {@code index}. */
  double lagrangianOf(int index, double[] lambda) {
    return lagrangian(index, lambda);
  }

  /** Adds cached path {@code index}'s g to {@code activity} (indexed by row) and returns its profit. */
  double accumulate(int index, double[] activity) {
    int width = 1 + rows.length;
    for (int j = 0; j < rows.length; j++) {
      activity[rows[j]] += values[index * width + 1 + j];
    }
    return values[index * width];
  }

  private ArticleEvaluation evaluation(int index, double lagrangian) {
    double[] rowActivity = new double[rowCount];
    int width = 1 + rows.length;
    for (int j = 0; j < rows.length; j++) {
      rowActivity[rows[j]] = values[index * width + 1 + j];
    }
    return new ArticleEvaluation(lagrangian, values[index * width], rowActivity, 1, floor);
  }

  private double lagrangian(int index, double[] lambda) {
    int width = 1 + rows.length;
    int base = index * width;
    double value = values[base];
    for (int j = 0; j < rows.length; j++) {
      value -= lambda[rows[j]] * values[base + 1 + j];
    }
    return value;
  }

  private int indexOf(char[] cached, int n, int[] path) {
    int weeks = path.length;
    for (int j = 0; j < n; j++) {
      int base = j * weeks;
      boolean same = true;
      for (int t = 0; t < weeks && same; t++) {
        same = cached[base + t] == path[t];
      }
      if (same) {
        return j;
      }
    }
    return -1;
  }

  private void checkSolved() {
    if (count == 0) {
      throw new IllegalStateException("Cannot price cached paths of article %s: it was never solved".formatted(problem.key()));
    }
  }

  private void checkLambda(double[] lambda, List<CouplingRow> rows) {
    if (lambda.length != rows.size()) {
      throw new IllegalArgumentException(
          "Cannot price article %s: %d multipliers for %d coupling rows".formatted(problem.key(), lambda.length, rows.size()));
    }
  }
}
