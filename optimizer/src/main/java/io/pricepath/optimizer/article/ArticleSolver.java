package io.pricepath.optimizer.article;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Exact solver of one article's markdown problem under Lagrangian coupling weights.
 *
 * <p>The model (weeks {@code t = 0..T-1}, ladder level {@code k_t} per week, discount {@code
 * d_t = ladder[k_t]}):
 *
 * <ul>
 *   <li>price {@code p_t = p0_t·(1 − d_t)}, sales {@code s_t = min(q_t(d_t), S_t)} with {@code
 *       S_t} the sellable stock at the start of week {@code t};
 *   <li>week profit {@code p_t·s_t·(1 − r_t) − c_t·s_t};
 *   <li>returns {@code r_t·s_t} come back {@code L = max(1, round(returnWeeks))} weeks later and
 *       are sellable from week {@code t + L}, as are the returns of sales before the plan week
 *       ({@link ArticleProblem#incoming}) from their week; returns arriving after the exit week ({@code
 *       rules.lastSaleWeek}, or the horizon) and stock left after it are worth the residual value
 *       per unit. With unconstrained stock ({@code startStock = +∞}) only late returns are valued;
 *   <li>after the exit week nothing sells and the path repeats the exit week's level.
 * </ul>
 *
 * Rules combine as follows: a locked week takes its locked level whatever the other rules say (a
 * manager's override wins: the move into it is not checked for markdown-only, steps, bounds or
 * no-touch, and never counts as a change); a no-touch week repeats the previous week's level (the
 * live level in week 0); a free week may always repeat the previous level, and moving to another
 * level counts as a change (week 0 compares with the live level) and must stay within {@code
 * [minLevel, maxLevel]}, within {@code maxStepsPerWeek} steps and, when markdown-only, go deeper.
 * Locks after the exit week are ignored. Repeating the previous level is always admissible, so
 * every problem has an optimal path.
 *
 * <p>{@link #solve} returns a path maximising {@code profit − Σ_t [(A_t + B_t·d_t)·p0_t·s_t +
 * C_t·s_t]} exactly. An instance keeps reusable buffers: it is not thread-safe, use one per
 * thread.
 */
public final class ArticleSolver {

  private static final int BOUND_MULTIPLIERS = 6;

  // Per-solve data, grown on demand.
  private double[][] unitValue = new double[0][];
  private double[][] demandBuf = new double[0][];
  private double[][] returnBuf = new double[0][];
  private int[][] lagBuf = new int[0][];
  private double[][][] bound = new double[0][][];
  private double[] multipliers = new double[BOUND_MULTIPLIERS];
  private int multiplierCount;
  private double[] ratios = new double[0];
  // Search state.
  private double[][] pending = new double[0][];
  private double[][] childBound = new double[0][];
  private double[][] childValue = new double[0][];
  private double[][] childStock = new double[0][];
  private double[][] childCap = new double[0][];
  private double[][] childSales = new double[0][];
  private int[][] childLevel = new int[0][];
  private int[] path = new int[0];
  private double[] topValue = new double[1];
  private int[][] topPath = new int[1][0];
  private int topCount;
  private int topLimit;
  private double best;
  private long nodes;
  // Problem in flight.
  private ArticleProblem problem;
  private int exit;
  private int levels;
  private int changeLimit;

  /** A solver with empty buffers. */
  public ArticleSolver() {}

  /**
   * An admissible path of {@code p} maximising profit less the coupling weights' price of its
   * sales, and its summary.
   *
   * @throws IllegalArgumentException when a live or locked level is not on the ladder, or the
   *     weights do not cover the horizon
   */
  public PathSummary solve(ArticleProblem p, CouplingWeights w) {
    return solveBest(p, w, 1).get(0);
  }

  /**
   * The {@code n} best distinct admissible paths of {@code p} under {@code w} (fewer when the
   * article has fewer), best first: the first is the one {@link #solve} returns (up to ties).
   *
   * @throws IllegalArgumentException as {@link #solve}, or when {@code n < 1}
   */
  public List<PathSummary> solveBest(ArticleProblem p, CouplingWeights w, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("Cannot solve article %s: number of paths must be >= 1 (%d)".formatted(p.key(), n));
    }
    PathRules.validate(p);
    int weeks = p.weeks();
    if (w.a().length != weeks) {
      throw new IllegalArgumentException(
          "Cannot solve article %s: coupling weights cover %d weeks, the horizon %d"
              .formatted(p.key(), w.a().length, weeks));
    }
    Rules rules = p.rules();
    exit = rules.lastSaleWeek();
    List<int[]> found = new ArrayList<>();
    if (exit < 0) {
      found.add(new int[weeks]);
    } else {
      problem = p;
      levels = p.levels();
      int free = PathRules.freeWeeks(rules);
      changeLimit = rules.maxChanges() >= free ? Integer.MAX_VALUE : rules.maxChanges();
      boolean finite = p.startStock() != Double.POSITIVE_INFINITY;
      prepare(p, w, finite);
      if (n == 1 && (!finite || neverBinds(p))) {
        int[] result = new int[weeks];
        separable(result);
        found.add(result);
      } else {
        branchAndBound(n, found, weeks);
      }
      problem = null;
    }
    List<PathSummary> paths = new ArrayList<>(found.size());
    for (int[] result : found) {
      int hold = exit >= 0 ? result[exit] : rules.liveLevel();
      for (int t = Math.max(exit + 1, 0); t < weeks; t++) {
        result[t] = hold;
      }
      paths.add(summarize(p, result));
    }
    return paths;
  }

  /** Search nodes expanded by the last branch-and-bound solve (0 when it used the DP). */
  long lastNodes() {
    return nodes;
  }

  /** The week-by-week outcome of {@code levels}, whether admissible or not. */
  public static PathOutcome evaluate(ArticleProblem p, int[] levels) {
    int weeks = p.weeks();
    if (levels.length != weeks) {
      throw new IllegalArgumentException(
          "Cannot evaluate path of %s: it covers %d weeks, the horizon %d".formatted(p.key(), levels.length, weeks));
    }
    int exit = p.rules().lastSaleWeek();
    double[] discount = new double[weeks];
    double[] price = new double[weeks];
    double[] stockStart = new double[weeks];
    double[] units = new double[weeks];
    double[] returns = new double[weeks];
    double[] revenue = new double[weeks];
    double[] profit = new double[weeks];
    double[] stockEnd = new double[weeks];
    double[] arrivals = new double[weeks + 1];
    double late = p.incomingAfter(exit);
    boolean finite = p.startStock() != Double.POSITIVE_INFINITY;
    for (int t = 0; finite && t <= Math.min(exit, weeks - 1); t++) {
      arrivals[t] += p.incoming()[t];
    }
    double stock = p.startStock();
    double total = 0;
    for (int t = 0; t < weeks; t++) {
      int k = levels[t];
      if (k < 0 || k >= p.levels()) {
        throw new IllegalArgumentException(
            "Cannot evaluate path of %s: week %d level is not on the ladder of %d levels (%d)"
                .formatted(p.key(), t, p.levels(), k));
      }
      stock += arrivals[t];
      discount[t] = p.ladder()[k];
      price[t] = p.blackPrice()[t] * (1 - discount[t]);
      stockStart[t] = stock;
      if (t <= exit) {
        double r = p.returnRate()[t][k];
        double s = Math.min(p.demand()[t][k], stock);
        units[t] = s;
        returns[t] = r * s;
        revenue[t] = price[t] * s * (1 - r);
        profit[t] = revenue[t] - p.fulfillmentCost()[t][k] * s;
        total += profit[t];
        stock -= s;
        int arrival = t + lag(p.returnWeeks()[t][k]);
        if (arrival <= exit) {
          arrivals[arrival] += returns[t];
        } else {
          late += returns[t];
        }
      }
      stockEnd[t] = stock;
    }
    double left;
    if (!finite) {
      left = 0;
    } else if (exit >= 0) {
      left = stockEnd[exit];
    } else {
      left = p.startStock();
    }
    double terminal = p.residualValue() * (left + late);
    return new PathOutcome(
        levels.clone(), discount, price, stockStart, units, returns, revenue, profit, stockEnd, terminal, total + terminal);
  }

  /** The summary of {@code levels}: its profit and per-week discount value, gross value and units. */
  public static PathSummary summarize(ArticleProblem p, int[] levels) {
    PathOutcome outcome = evaluate(p, levels);
    int weeks = p.weeks();
    double[] discountValue = new double[weeks];
    double[] grossValue = new double[weeks];
    for (int t = 0; t < weeks; t++) {
      grossValue[t] = p.blackPrice()[t] * outcome.units()[t];
      discountValue[t] = outcome.discount()[t] * grossValue[t];
    }
    return new PathSummary(levels.clone(), outcome.totalProfit(), discountValue, grossValue, outcome.units().clone());
  }

  /** Whether {@code levels} is an admissible path of {@code p} (see the class contract). */
  public static boolean admissible(ArticleProblem p, int[] levels) {
    return PathRules.violation(p, levels).isEmpty();
  }

  /** Why {@code levels} is not an admissible path of {@code p}, or empty when it is. */
  public static Optional<String> violation(ArticleProblem p, int[] levels) {
    return PathRules.violation(p, levels);
  }

  /** {@code profit − Σ_t [(A_t + B_t·d_t)·p0_t·s_t + C_t·s_t]} of a summarised path. */
  public static double objective(ArticleProblem p, CouplingWeights w, PathSummary s) {
    double value = s.profit();
    for (int t = 0; t < p.weeks(); t++) {
      value -= w.a()[t] * s.grossValue()[t] + w.b()[t] * s.discountValue()[t] + w.c()[t] * s.units()[t];
    }
    return value;
  }

  static int lag(double returnWeeks) {
    return (int) Math.max(1, Math.round(returnWeeks));
  }

  // ---------------------------------------------------------------------------------------------

  private void prepare(ArticleProblem p, CouplingWeights w, boolean finite) {
    int weeks = exit + 1;
    ensure(weeks, levels);
    double v = p.residualValue();
    for (int t = 0; t < weeks; t++) {
      double p0 = p.blackPrice()[t];
      for (int k = 0; k < levels; k++) {
        double d = p.ladder()[k];
        double r = p.returnRate()[t][k];
        int lag = lag(p.returnWeeks()[t][k]);
        double margin = p0 * (1 - d) * (1 - r) - p.fulfillmentCost()[t][k];
        double coupling = (w.a()[t] + w.b()[t] * d) * p0 + w.c()[t];
        double terminal = finite ? -v * (1 - r) : (t + lag > exit ? v * r : 0);
        unitValue[t][k] = margin - coupling + terminal;
        demandBuf[t][k] = p.demand()[t][k];
        returnBuf[t][k] = r;
        lagBuf[t][k] = lag;
      }
    }
  }

  private void ensure(int weeks, int k) {
    if (unitValue.length < weeks || (weeks > 0 && unitValue[0].length < k)) {
      int w = Math.max(weeks, unitValue.length);
      int l = Math.max(k, unitValue.length > 0 ? unitValue[0].length : 0);
      unitValue = new double[w][l];
      demandBuf = new double[w][l];
      returnBuf = new double[w][l];
      lagBuf = new int[w][l];
      bound = new double[BOUND_MULTIPLIERS][w + 1][l];
      pending = new double[w + 1][w + 2];
      childBound = new double[w][l];
      childValue = new double[w][l];
      childStock = new double[w][l];
      childCap = new double[w][l];
      childSales = new double[w][l];
      childLevel = new int[w][l];
      path = new int[w];
      ratios = new double[w * l];
    }
  }

  private boolean neverBinds(ArticleProblem p) {
    double most = 0;
    for (int t = 0; t <= exit; t++) {
      double m = 0;
      for (int k = 0; k < levels; k++) {
        m = Math.max(m, p.demand()[t][k]);
      }
      most += m;
    }
    return most <= p.startStock();
  }

  /** Exact DP over (week, previous level, changes used) when sales always equal demand. */
  private void separable(int[] result) {
    Rules rules = problem.rules();
    int weeks = exit + 1;
    boolean limited = changeLimit != Integer.MAX_VALUE;
    int changeStates = limited ? changeLimit + 1 : 1;
    double[][][] value = new double[weeks + 1][levels][changeStates];
    int[][][] choice = new int[weeks][levels][changeStates];
    for (int t = weeks - 1; t >= 0; t--) {
      for (int prev = 0; prev < levels; prev++) {
        for (int c = 0; c < changeStates; c++) {
          double bestValue = Double.NEGATIVE_INFINITY;
          int bestK = -1;
          for (int k = 0; k < levels; k++) {
            if (!PathRules.allowed(rules, levels, t, prev, k)) {
              continue;
            }
            int next = c;
            if (limited && PathRules.isChange(rules, t, prev, k)) {
              next = c + 1;
              if (next >= changeStates) {
                continue;
              }
            }
            double candidate = demandBuf[t][k] * unitValue[t][k] + value[t + 1][k][next];
            if (candidate > bestValue) {
              bestValue = candidate;
              bestK = k;
            }
          }
          value[t][prev][c] = bestValue;
          choice[t][prev][c] = bestK;
        }
      }
    }
    int prev = rules.liveLevel();
    int c = 0;
    for (int t = 0; t < weeks; t++) {
      int k = choice[t][prev][c];
      if (limited && PathRules.isChange(rules, t, prev, k)) {
        c++;
      }
      result[t] = k;
      prev = k;
    }
    nodes = 0;
  }

  /** Depth-first enumeration of admissible prefixes with the simulated stock and a bound. */
  private void branchAndBound(int n, List<int[]> found, int horizon) {
    chooseMultipliers();
    Rules rules = problem.rules();
    int weeks = exit + 1;
    for (int m = 0; m < multiplierCount; m++) {
      double mu = multipliers[m];
      double[][] table = bound[m];
      Arrays.fill(table[weeks], 0, levels, 0.0);
      for (int t = weeks - 1; t >= 0; t--) {
        for (int prev = 0; prev < levels; prev++) {
          double most = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < levels; k++) {
            if (PathRules.allowed(rules, levels, t, prev, k)) {
              double gain = demandBuf[t][k] * (unitValue[t][k] - mu * (1 - returnBuf[t][k]));
              most = Math.max(most, Math.max(0, gain) + table[t + 1][k]);
            }
          }
          table[t][prev] = most;
        }
      }
    }
    // returns of sales before the plan week: in stock at their week, and in the most ever sellable
    double[] incoming = problem.incoming();
    boolean finite = problem.startStock() != Double.POSITIVE_INFINITY;
    Arrays.fill(pending[0], 0.0);
    double comingBack = 0;
    for (int t = 0; finite && t < weeks; t++) {
      pending[0][t] = incoming[t];
      comingBack += incoming[t];
    }
    best = Double.NEGATIVE_INFINITY;
    nodes = 0;
    topLimit = n;
    topCount = 0;
    if (topValue.length < n) {
      topValue = new double[n];
    }
    if (topPath.length < n || (n > 0 && topPath[0].length < weeks)) {
      topPath = new int[n][Math.max(weeks, path.length)];
    }
    double stock = problem.startStock() + pending[0][0];
    search(0, rules.liveLevel(), 0, stock, problem.startStock() + comingBack, 0.0);
    for (int i = 0; i < topCount; i++) {
      int[] result = new int[horizon];
      System.arraycopy(topPath[i], 0, result, 0, weeks);
      found.add(result);
    }
  }

  /** Keeps the leaf among the best {@code topLimit}; {@code best} becomes the pruning threshold. */
  private void keep(double value, int weeks) {
    int i = Math.min(topCount, topLimit - 1);
    int[] spare = topPath[i];
    while (i > 0 && topValue[i - 1] < value) {
      topValue[i] = topValue[i - 1];
      topPath[i] = topPath[i - 1];
      i--;
    }
    topValue[i] = value;
    topPath[i] = spare;
    System.arraycopy(path, 0, spare, 0, weeks);
    topCount = Math.min(topCount + 1, topLimit);
    best = topCount == topLimit ? topValue[topLimit - 1] : Double.NEGATIVE_INFINITY;
  }

  private void chooseMultipliers() {
    int n = 0;
    int weeks = exit + 1;
    for (int t = 0; t < weeks; t++) {
      for (int k = 0; k < levels; k++) {
        double keep = 1 - returnBuf[t][k];
        if (demandBuf[t][k] > 0 && unitValue[t][k] > 0 && keep > 1e-12) {
          ratios[n++] = unitValue[t][k] / keep;
        }
      }
    }
    multipliers[0] = 0;
    multiplierCount = 1;
    if (n == 0) {
      return;
    }
    Arrays.sort(ratios, 0, n);
    double[] quantiles = {0.2, 0.4, 0.6, 0.8, 0.95};
    for (double q : quantiles) {
      double mu = ratios[Math.min(n - 1, (int) (q * n))];
      if (mu > multipliers[multiplierCount - 1]) {
        multipliers[multiplierCount++] = mu;
      }
    }
  }

  private double futureBound(int t, int prev, double cap) {
    double most = bound[0][t][prev];
    for (int m = 1; m < multiplierCount; m++) {
      most = Math.min(most, multipliers[m] * cap + bound[m][t][prev]);
    }
    return most;
  }

  private void search(int t, int prev, int changes, double stock, double cap, double value) {
    nodes++;
    if (t > exit) {
      if (value > best) {
        keep(value, t);
      }
      return;
    }
    Rules rules = problem.rules();
    double[] pend = pending[t];
    double[] ubs = childBound[t];
    int[] ks = childLevel[t];
    int n = 0;
    for (int k = 0; k < levels; k++) {
      if (!PathRules.allowed(rules, levels, t, prev, k)) {
        continue;
      }
      if (changeLimit != Integer.MAX_VALUE && changes >= changeLimit && PathRules.isChange(rules, t, prev, k)) {
        continue;
      }
      double s = Math.min(demandBuf[t][k], stock);
      double v = value + s * unitValue[t][k];
      double ret = returnBuf[t][k] * s;
      int arrival = t + lagBuf[t][k];
      boolean back = arrival <= exit;
      double nextCap = cap - s + (back ? ret : 0);
      double nextStock = stock - s + (t + 1 <= exit ? pend[t + 1] : 0) + (back && arrival == t + 1 ? ret : 0);
      double ub = v + futureBound(t + 1, k, nextCap);
      if (ub <= best) {
        continue;
      }
      // insertion by descending bound
      int i = n++;
      while (i > 0 && ubs[i - 1] < ub) {
        ubs[i] = ubs[i - 1];
        ks[i] = ks[i - 1];
        childValue[t][i] = childValue[t][i - 1];
        childStock[t][i] = childStock[t][i - 1];
        childCap[t][i] = childCap[t][i - 1];
        childSales[t][i] = childSales[t][i - 1];
        i--;
      }
      ubs[i] = ub;
      ks[i] = k;
      childValue[t][i] = v;
      childStock[t][i] = nextStock;
      childCap[t][i] = nextCap;
      childSales[t][i] = s;
    }
    double[] nextPend = pending[t + 1];
    for (int i = 0; i < n; i++) {
      if (ubs[i] <= best) {
        return;
      }
      int k = ks[i];
      System.arraycopy(pend, 0, nextPend, 0, exit + 2);
      int arrival = t + lagBuf[t][k];
      if (arrival <= exit) {
        nextPend[arrival] += returnBuf[t][k] * childSales[t][i];
      }
      path[t] = k;
      int nextChanges = PathRules.isChange(rules, t, prev, k) ? changes + 1 : changes;
      search(t + 1, k, nextChanges, childStock[t][i], childCap[t][i], childValue[t][i]);
    }
  }
}
