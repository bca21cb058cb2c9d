package io.pricepath.optimizer.pooled;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Exact solver of an article whose markets share one stock pool: one admissible discount path per
 * market (each under its own rules, see {@link ArticleSolver}) maximising the sum over markets of
 * profit less the market's coupling weights' price of its sales.
 *
 * <p>The model, weeks {@code t = 0..T-1}, markets {@code m}, {@code E} the last exit week of any
 * market:
 *
 * <ul>
 *   <li>market {@code m} sells in weeks {@code t ≤ exit_m} only; its demand at its discount is
 *       {@code q_{m,t}}, and {@code Q_t} is the sum over the markets on sale;
 *   <li><b>allocation</b>: every market on sale in week {@code t} is served from the pool stock
 *       {@code S_t} at the start of the week. When {@code Q_t ≤ S_t} each market sells its demand;
 *       otherwise the pool is rationed in proportion to demand, {@code s_{m,t} = S_t·q_{m,t}/Q_t},
 *       and the pool is empty at the end of the week. With one market this is {@code
 *       min(q_t, S_t)}, the single-market model;
 *   <li>returns {@code r·s} of market {@code m} come back {@code max(1, round(returnWeeks))} weeks
 *       later; when they arrive by {@code exit_m} they go back to the pool and are sellable from
 *       that week, in any market; later ones are worth the market's residual value per unit (as in
 *       the single-market model); {@code S_{t+1} = S_t − Σ_m s_{m,t} + arrivals_{t+1}};
 *   <li>the stock left in the pool after week {@code E} is worth the pool's residual value per
 *       unit; an unlimited pool is worth nothing at the end (only late returns are valued).
 * </ul>
 *
 * Each market's {@link PathSummary} carries its own sales, and its profit is its revenue net of
 * returns less fulfillment, plus the residual value of its late returns, plus the pool's residual
 * value of the stock share attributed to it less that of every unit it takes from the pool net of
 * the returns it puts back; the markets' profits sum to the article's.
 *
 * <p>{@link #solve} is a depth-first branch and bound over weeks and, within a week, markets. Its
 * bound prices pool stock with a multiplier μ: {@code μ·(stock + pending returns) + Σ_m} the best
 * relaxed value of the market's remaining weeks, where each sale is worth its unit value less μ
 * per unit it takes from the pool net of returns, and no sale is forced (the minimum over a few
 * μ). When the pool holds more than every remaining week could sell, the markets are independent
 * and the rest is solved per market by dynamic programming. The search starts from the best of a
 * few heuristic plans (markets solved alone under stock prices, and alone on their stock shares).
 * The bound is loose when the pool binds hard, so the search grows quickly with the number of
 * markets; {@link #withNodeBudget} caps it and reports a certified bound instead. An instance keeps
 * buffers: it is not thread-safe, use one per thread.
 */
public final class PooledArticleSolver {

  private static final double[] QUANTILES = {0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95};

  private final ArticleSolver single = new ArticleSolver();
  private final long nodeBudget;

  // Problem in flight.
  private Market[] ms;
  private int end;
  private double[] mu;
  private int muCount;
  private int[][] active;
  private double[] remainingDemand;
  // Search state.
  private int[][] chosen;
  private int[][] changes;
  private double[] weekStock;
  private double[] weekCap;
  private double[] weekValue;
  private double[][] pending;
  private int[] offset;
  private double[][] base;
  private double[][] childUb;
  private int[][] childK;
  private int[][] childChanges;
  private double[][][] childBase;
  private double best;
  private int[][] bestLevels;
  private long nodes;
  private double openBound;
  private double upperBound;

  /** An exact solver with empty buffers: no node budget. */
  public PooledArticleSolver() {
    this(Long.MAX_VALUE);
  }

  private PooledArticleSolver(long nodeBudget) {
    this.nodeBudget = nodeBudget;
  }

  /**
   * A solver that stops searching after {@code nodes} search nodes and then returns the best plan
   * found, with {@link #lastUpperBound()} bounding how far from optimal it can be.
   *
   * @throws IllegalArgumentException when {@code nodes < 1}
   */
  public static PooledArticleSolver withNodeBudget(long nodes) {
    if (nodes < 1) {
      throw new IllegalArgumentException("Cannot create pooled solver: node budget must be >= 1 (%d)".formatted(nodes));
    }
    return new PooledArticleSolver(nodes);
  }

  /**
   * An upper bound on the objective of the last {@link #solve} (see {@link #objective}): equal to
   * the objective of the plan returned, up to rounding, when the search finished ({@link
   * #lastExact()}); otherwise the highest bound of any part of the search left unexplored.
   */
  public double lastUpperBound() {
    return upperBound;
  }

  /** Whether the last {@link #solve} proved its plan optimal (the search finished within the budget). */
  public boolean lastExact() {
    return openBound == Double.NEGATIVE_INFINITY;
  }

  /**
   * One admissible path per market maximising, summed over markets, profit less the market's
   * coupling weights' price of its sales; the summaries are in the order of {@code p.markets()}.
   *
   * @param weights one per market, in the order of {@code p.markets()}
   * @throws IllegalArgumentException when a live or locked level is not on its ladder, or the
   *     weights do not match the markets or the horizon
   */
  public List<PathSummary> solve(PooledArticleProblem p, CouplingWeights[] weights) {
    checkWeights(p, weights);
    int markets = p.markets().size();
    int weeks = p.weeks();
    for (ArticleProblem market : p.markets()) {
      MarketRules.validate(market);
    }
    end = p.lastSaleWeek();
    int[][] levels = new int[markets][weeks];
    openBound = Double.NEGATIVE_INFINITY;
    nodes = 0;
    if (end >= 0) {
      prepare(p, weights);
      incumbent(p, weights);
      search();
      for (int m = 0; m < markets; m++) {
        System.arraycopy(bestLevels[m], 0, levels[m], 0, ms[m].exit + 1);
      }
      ms = null;
    }
    for (int m = 0; m < markets; m++) {
      ArticleProblem market = p.markets().get(m);
      int exit = market.rules().lastSaleWeek();
      int hold = exit >= 0 ? levels[m][exit] : market.rules().liveLevel();
      for (int t = exit + 1; t < weeks; t++) {
        levels[m][t] = hold;
      }
    }
    List<PathSummary> summaries = evaluate(p, levels);
    double value = objective(p, weights, summaries);
    upperBound = Math.max(value, openBound);
    return summaries;
  }

  /** Search nodes expanded by the last solve. */
  long lastNodes() {
    return nodes;
  }


  /**
   * Each market's summary when the markets follow {@code levels} ({@code [markets][T]}, admissible
   * or not), under the pool model of this class; the markets' profits sum to the article's.
   *
   * @throws IllegalArgumentException when the paths do not match the markets, the horizon or the
   *     ladders
   */
  public static List<PathSummary> evaluate(PooledArticleProblem p, int[][] levels) {
    List<ArticleProblem> markets = p.markets();
    int n = markets.size();
    int weeks = p.weeks();
    if (levels.length != n) {
      throw new IllegalArgumentException(
          "Cannot evaluate pooled article %s: %d paths for %d markets".formatted(p.key(), levels.length, n));
    }
    for (int m = 0; m < n; m++) {
      ArticleProblem market = markets.get(m);
      if (levels[m].length != weeks) {
        throw new IllegalArgumentException(
            "Cannot evaluate pooled article %s: path of market %s covers %d weeks, the horizon %d"
                .formatted(p.key(), market.market(), levels[m].length, weeks));
      }
      for (int t = 0; t < weeks; t++) {
        if (levels[m][t] < 0 || levels[m][t] >= market.levels()) {
          throw new IllegalArgumentException(
              "Cannot evaluate pooled article %s: week %d level of market %s is not on its ladder of %d levels (%d)"
                  .formatted(p.key(), t, market.market(), market.levels(), levels[m][t]));
        }
      }
    }
    boolean finite = p.poolStock() != Double.POSITIVE_INFINITY;
    double[][] units = new double[n][weeks];
    double[][] gross = new double[n][weeks];
    double[][] discountValue = new double[n][weeks];
    double[] profit = new double[n];
    double[] late = new double[n];
    double[] taken = new double[n];
    double[] arrivals = new double[weeks + 1];
    double stock = p.poolStock();
    for (int t = 0; t < weeks; t++) {
      stock += arrivals[t];
      double demand = 0;
      for (int m = 0; m < n; m++) {
        if (t <= markets.get(m).rules().lastSaleWeek()) {
          demand += markets.get(m).demand()[t][levels[m][t]];
        }
      }
      boolean rationed = demand > stock;
      double fill = rationed ? stock / demand : 1;
      for (int m = 0; m < n; m++) {
        ArticleProblem market = markets.get(m);
        int exit = market.rules().lastSaleWeek();
        if (t > exit) {
          continue;
        }
        int k = levels[m][t];
        double d = market.ladder()[k];
        double p0 = market.blackPrice()[t];
        double r = market.returnRate()[t][k];
        double s = fill * market.demand()[t][k];
        units[m][t] = s;
        gross[m][t] = p0 * s;
        discountValue[m][t] = d * p0 * s;
        profit[m] += p0 * (1 - d) * (1 - r) * s - market.fulfillmentCost()[t][k] * s;
        taken[m] += s;
        stock -= s;
        int arrival = t + lag(market.returnWeeks()[t][k]);
        if (arrival <= exit) {
          arrivals[arrival] += r * s;
          taken[m] -= r * s;
        } else {
          late[m] += r * s;
        }
      }
      if (rationed) {
        stock = 0;
      }
    }
    List<PathSummary> summaries = new ArrayList<>(n);
    for (int m = 0; m < n; m++) {
      ArticleProblem market = markets.get(m);
      double total = profit[m] + market.residualValue() * late[m];
      if (finite) {
        total += p.residualValue() * (market.startStock() - taken[m]);
      }
      summaries.add(new PathSummary(levels[m].clone(), total, discountValue[m], gross[m], units[m]));
    }
    return summaries;
  }

  /**
   * Σ over markets of {@code profit − Σ_t [(A_t + B_t·d_t)·p0_t·s_t + C_t·s_t]} of summarised
   * paths, each market under its own weights.
   */
  public static double objective(PooledArticleProblem p, CouplingWeights[] weights, List<PathSummary> paths) {
    checkWeights(p, weights);
    double value = 0;
    for (int m = 0; m < paths.size(); m++) {
      value += ArticleSolver.objective(p.markets().get(m), weights[m], paths.get(m));
    }
    return value;
  }

  /** Why {@code levels} ({@code [markets][T]}) is not admissible for {@code p}, or empty when it is. */
  public static Optional<String> violation(PooledArticleProblem p, int[][] levels) {
    if (levels.length != p.markets().size()) {
      return Optional.of("%d paths for %d markets".formatted(levels.length, p.markets().size()));
    }
    for (int m = 0; m < levels.length; m++) {
      ArticleProblem market = p.markets().get(m);
      Optional<String> why = ArticleSolver.violation(market, levels[m]);
      if (why.isPresent()) {
        return Optional.of("market %s: %s".formatted(market.market(), why.get()));
      }
    }
    return Optional.empty();
  }

  static int lag(double returnWeeks) {
    return (int) Math.max(1, Math.round(returnWeeks));
  }

  private static void checkWeights(PooledArticleProblem p, CouplingWeights[] weights) {
    if (weights.length != p.markets().size()) {
      throw new IllegalArgumentException(
          "Cannot solve pooled article %s: %d coupling weights for %d markets".formatted(p.key(), weights.length, p.markets().size()));
    }
    for (int m = 0; m < weights.length; m++) {
      if (weights[m].a().length != p.weeks()) {
        throw new IllegalArgumentException(
            "Cannot solve pooled article %s: coupling weights of market %s cover %d weeks, the horizon %d"
                .formatted(p.key(), p.markets().get(m).market(), weights[m].a().length, p.weeks()));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** One market's data for the search, indexed by week and ladder level up to its exit week. */
  private static final class Market {
    final ArticleProblem problem;
    final int exit;
    final int live;
    final int levels;
    final int limit;
    final int changeStates;
    final boolean[] free;
    final int[][][] next;
    final double[][] demand;
    final double[][] value;
    final double[][] consumption;
    final double[][] returned;
    final int[][] arrival;
    double[][][][] bound;
    double[][][] exact;
    int[][][] exactChoice;

    Market(ArticleProblem p, CouplingWeights w, boolean finite, double poolResidual) {
      problem = p;
      exit = p.rules().lastSaleWeek();
      live = p.rules().liveLevel();
      levels = p.levels();
      int freeWeeks = MarketRules.freeWeeks(p.rules());
      limit = p.rules().maxChanges() >= freeWeeks ? Integer.MAX_VALUE : p.rules().maxChanges();
      changeStates = limit == Integer.MAX_VALUE ? 1 : limit + 1;
      int weeks = exit + 1;
      free = new boolean[weeks];
      next = new int[weeks][levels][];
      demand = new double[weeks][levels];
      value = new double[weeks][levels];
      consumption = new double[weeks][levels];
      returned = new double[weeks][levels];
      arrival = new int[weeks][levels];
      int[] buffer = new int[levels];
      for (int t = 0; t < weeks; t++) {
        free[t] = MarketRules.isFree(p.rules(), t);
        for (int prev = 0; prev < levels; prev++) {
          int n = 0;
          for (int k = 0; k < levels; k++) {
            if (MarketRules.allowed(p.rules(), levels, t, prev, k)) {
              buffer[n++] = k;
            }
          }
          next[t][prev] = Arrays.copyOf(buffer, n);
        }
        double p0 = p.blackPrice()[t];
        for (int k = 0; k < levels; k++) {
          double d = p.ladder()[k];
          double r = p.returnRate()[t][k];
          int back = t + lag(p.returnWeeks()[t][k]);
          boolean inTime = back <= exit;
          double margin = p0 * (1 - d) * (1 - r) - p.fulfillmentCost()[t][k];
          double coupling = (w.a()[t] + w.b()[t] * d) * p0 + w.c()[t];
          double terminal;
          if (finite) {
            terminal = -poolResidual + r * (inTime ? poolResidual : p.residualValue());
          } else {
            terminal = inTime ? 0 : r * p.residualValue();
          }
          demand[t][k] = p.demand()[t][k];
          value[t][k] = margin - coupling + terminal;
          consumption[t][k] = 1 - (inTime ? r : 0);
          returned[t][k] = r;
          arrival[t][k] = inTime ? back : -1;
        }
      }
    }

    boolean isChange(int t, int prev, int k) {
      return free[t] && k != prev;
    }

    /** Change state after moving from {@code prev} to {@code k} in week t with {@code c} used; -1 when over the limit. */
    int nextChanges(int t, int prev, int k, int c) {
      if (limit == Integer.MAX_VALUE || !isChange(t, prev, k)) {
        return c;
      }
      return c < limit ? c + 1 : -1;
    }

    /**
     * Best value of weeks {@code t..exit} from each (previous level, changes used), each sale worth
     * {@code q·(value − mu·consumption)}, clipped at 0 when {@code relaxed}; writes choices when given.
     */
    double[][][] table(double mu, boolean relaxed, int[][][] choice) {
      int weeks = exit + 1;
      double[][][] table = new double[weeks + 1][levels][changeStates];
      for (int t = weeks - 1; t >= 0; t--) {
        for (int prev = 0; prev < levels; prev++) {
          for (int c = 0; c < changeStates; c++) {
            double most = Double.NEGATIVE_INFINITY;
            int arg = -1;
            for (int k : next[t][prev]) {
              int c2 = nextChanges(t, prev, k, c);
              if (c2 < 0) {
                continue;
              }
              double gain = demand[t][k] * (value[t][k] - mu * consumption[t][k]);
              double v = (relaxed ? Math.max(0, gain) : gain) + table[t + 1][k][c2];
              if (v > most) {
                most = v;
                arg = k;
              }
            }
            table[t][prev][c] = most;
            if (choice != null) {
              choice[t][prev][c] = arg;
            }
          }
        }
      }
      return table;
    }

    /** Fills {@code path[t..exit]} with the choices of {@code choice} from (prev, c). */
    void follow(int[][][] choice, int t, int prev, int c, int[] path) {
      for (int u = t; u <= exit; u++) {
        int k = choice[u][prev][c];
        c = nextChanges(u, prev, k, c);
        path[u] = k;
        prev = k;
      }
    }
  }

  private void prepare(PooledArticleProblem p, CouplingWeights[] weights) {
    int n = p.markets().size();
    boolean finite = p.poolStock() != Double.POSITIVE_INFINITY;
    ms = new Market[n];
    for (int m = 0; m < n; m++) {
      ms[m] = new Market(p.markets().get(m), weights[m], finite, p.residualValue());
    }
    chooseMultipliers();
    for (Market mk : ms) {
      mk.bound = new double[muCount][][][];
      for (int j = 0; j < muCount; j++) {
        mk.bound[j] = mk.table(mu[j], true, null);
      }
      mk.exactChoice = new int[mk.exit + 1][mk.levels][mk.changeStates];
      mk.exact = mk.table(0, false, mk.exactChoice);
    }
    int weeks = end + 1;
    active = new int[weeks][];
    remainingDemand = new double[weeks + 1];
    offset = new int[weeks + 1];
    for (int t = weeks - 1; t >= 0; t--) {
      int count = 0;
      double most = 0;
      for (Market mk : ms) {
        if (t <= mk.exit) {
          count++;
          double q = 0;
          for (int k = 0; k < mk.levels; k++) {
            q = Math.max(q, mk.demand[t][k]);
          }
          most += q;
        }
      }
      remainingDemand[t] = remainingDemand[t + 1] + most;
      active[t] = new int[count];
      int i = 0;
      for (int m = 0; m < n; m++) {
        if (t <= ms[m].exit) {
          active[t][i++] = m;
        }
      }
    }
    for (int t = 0; t < weeks; t++) {
      offset[t + 1] = offset[t] + active[t].length + 1;
    }
    int depths = offset[weeks] + 1;
    int maxLevels = 0;
    for (Market mk : ms) {
      maxLevels = Math.max(maxLevels, mk.levels);
    }
    base = new double[depths][muCount];
    childUb = new double[depths][maxLevels];
    childK = new int[depths][maxLevels];
    childChanges = new int[depths][maxLevels];
    childBase = new double[depths][maxLevels][muCount];
    chosen = new int[n][weeks];
    changes = new int[n][weeks + 1];
    bestLevels = new int[n][weeks];
    weekStock = new double[weeks + 1];
    weekCap = new double[weeks + 1];
    weekValue = new double[weeks + 1];
    pending = new double[weeks + 1][weeks + 1];
    weekStock[0] = p.poolStock();
    weekCap[0] = p.poolStock();
    weekValue[0] = finite ? p.residualValue() * p.poolStock() : 0;
  }

  private void chooseMultipliers() {
    mu = new double[QUANTILES.length + 1];
    int n = 0;
    for (Market mk : ms) {
      n += (mk.exit + 1) * mk.levels;
    }
    double[] ratios = new double[n];
    n = 0;
    for (Market mk : ms) {
      for (int t = 0; t <= mk.exit; t++) {
        for (int k = 0; k < mk.levels; k++) {
          if (mk.demand[t][k] > 0 && mk.value[t][k] > 0 && mk.consumption[t][k] > 1e-12) {
            ratios[n++] = mk.value[t][k] / mk.consumption[t][k];
          }
        }
      }
    }
    mu[0] = 0;
    muCount = 1;
    if (n == 0) {
      return;
    }
    Arrays.sort(ratios, 0, n);
    for (double q : QUANTILES) {
      double candidate = ratios[Math.min(n - 1, (int) (q * n))];
      if (candidate > mu[muCount - 1]) {
        mu[muCount++] = candidate;
      }
    }
  }

  /** A first feasible plan: per-market paths under a few stock prices and each market alone on its share. */
  private void incumbent(PooledArticleProblem p, CouplingWeights[] weights) {
    int n = ms.length;
    best = Double.NEGATIVE_INFINITY;
    int[][] trial = new int[n][end + 1];
    for (int j = 0; j < muCount; j++) {
      for (int m = 0; m < n; m++) {
        Market mk = ms[m];
        int[][][] choice = new int[mk.exit + 1][mk.levels][mk.changeStates];
        mk.table(mu[j], false, choice);
        mk.follow(choice, 0, mk.live, 0, trial[m]);
      }
      offer(trial);
    }
    if (p.poolStock() != Double.POSITIVE_INFINITY) {
      for (int m = 0; m < n; m++) {
        int[] alone = single.solve(p.markets().get(m), weights[m]).levels();
        System.arraycopy(alone, 0, trial[m], 0, ms[m].exit + 1);
      }
      offer(trial);
    }
  }

  /** Simulates {@code levels} with the search's unit values and keeps it when it beats the incumbent. */
  private void offer(int[][] levels) {
    int weeks = end + 1;
    double[] arrivals = new double[weeks + 1];
    double stock = weekStock[0];
    double value = weekValue[0];
    for (int t = 0; t < weeks; t++) {
      stock += arrivals[t];
      double demand = 0;
      for (int m : active[t]) {
        demand += ms[m].demand[t][levels[m][t]];
      }
      double fill = demand > stock ? stock / demand : 1;
      for (int m : active[t]) {
        Market mk = ms[m];
        int k = levels[m][t];
        double s = fill * mk.demand[t][k];
        value += s * mk.value[t][k];
        stock -= s;
        if (mk.arrival[t][k] >= 0) {
          arrivals[mk.arrival[t][k]] += mk.returned[t][k] * s;
        }
      }
      if (fill < 1) {
        stock = 0;
      }
    }
    if (value > best) {
      best = value;
      for (int m = 0; m < ms.length; m++) {
        System.arraycopy(levels[m], 0, bestLevels[m], 0, ms[m].exit + 1);
      }
    }
  }

  private void search() {
    Arrays.fill(pending[0], 0.0);
    week(0);
  }

  private int previous(int m, int t) {
    return t == 0 ? ms[m].live : chosen[m][t - 1];
  }

  /** Start of week {@code t}: stock, cap, value and pending returns of weeks before are in place. */
  private void week(int t) {
    nodes++;
    if (t > end) {
      if (weekValue[t] > best) {
        best = weekValue[t];
        for (int m = 0; m < ms.length; m++) {
          System.arraycopy(chosen[m], 0, bestLevels[m], 0, ms[m].exit + 1);
        }
      }
      return;
    }
    int[] act = active[t];
    if (weekStock[t] >= remainingDemand[t]) {
      // The pool can no longer bind: the markets are independent from here on.
      double v = weekValue[t];
      for (int m : act) {
        v += ms[m].exact[t][previous(m, t)][changes[m][t]];
      }
      if (v > best) {
        best = v;
        for (int m = 0; m < ms.length; m++) {
          Market mk = ms[m];
          System.arraycopy(chosen[m], 0, bestLevels[m], 0, Math.min(t, mk.exit + 1));
          if (t <= mk.exit) {
            mk.follow(mk.exactChoice, t, previous(m, t), changes[m][t], bestLevels[m]);
          }
        }
      }
      return;
    }
    double[] b = base[offset[t]];
    double ub = Double.POSITIVE_INFINITY;
    for (int j = 0; j < muCount; j++) {
      double v = weekValue[t] + mu[j] * weekCap[t];
      for (int m : act) {
        v += ms[m].bound[j][t][previous(m, t)][changes[m][t]];
      }
      b[j] = v;
      ub = Math.min(ub, v);
    }
    if (ub <= best) {
      return;
    }
    decide(t, 0);
  }

  /** Chooses the level of the {@code i}-th market on sale in week {@code t}. */
  private void decide(int t, int i) {
    int[] act = active[t];
    if (i == act.length) {
      completeWeek(t);
      return;
    }
    int depth = offset[t] + i;
    int m = act[i];
    Market mk = ms[m];
    int prev = previous(m, t);
    int c = changes[m][t];
    double[] b = base[depth];
    double[] ubs = childUb[depth];
    int[] ks = childK[depth];
    int[] cs = childChanges[depth];
    double[][] bases = childBase[depth];
    int count = 0;
    for (int k : mk.next[t][prev]) {
      int c2 = mk.nextChanges(t, prev, k, c);
      if (c2 < 0) {
        continue;
      }
      double q = mk.demand[t][k];
      double v = mk.value[t][k];
      double cons = mk.consumption[t][k];
      double ub = Double.POSITIVE_INFINITY;
      double[] slot = bases[count];
      for (int j = 0; j < muCount; j++) {
        double[][][] bound = mk.bound[j];
        double x = b[j] - bound[t][prev][c] + Math.max(0, q * (v - mu[j] * cons)) + bound[t + 1][k][c2];
        slot[j] = x;
        ub = Math.min(ub, x);
      }
      if (ub <= best) {
        continue;
      }
      int at = count++;
      while (at > 0 && ubs[at - 1] < ub) {
        ubs[at] = ubs[at - 1];
        ks[at] = ks[at - 1];
        cs[at] = cs[at - 1];
        bases[at] = bases[at - 1];
        at--;
      }
      ubs[at] = ub;
      ks[at] = k;
      cs[at] = c2;
      bases[at] = slot;
    }
    double[] nextBase = base[depth + 1];
    for (int x = 0; x < count; x++) {
      if (ubs[x] <= best) {
        return;
      }
      if (nodes >= nodeBudget) {
        openBound = Math.max(openBound, ubs[x]);
        return;
      }
      chosen[m][t] = ks[x];
      changes[m][t + 1] = cs[x];
      System.arraycopy(bases[x], 0, nextBase, 0, muCount);
      decide(t, i + 1);
    }
  }

  /** Every market on sale has its level for week {@code t}: rations the pool and moves on. */
  private void completeWeek(int t) {
    int[] act = active[t];
    double stock = weekStock[t];
    double demand = 0;
    for (int m : act) {
      demand += ms[m].demand[t][chosen[m][t]];
    }
    double fill = demand > stock ? stock / demand : 1;
    double[] now = pending[t];
    double[] next = pending[t + 1];
    System.arraycopy(now, 0, next, 0, next.length);
    double value = weekValue[t];
    double cap = weekCap[t];
    for (int m : act) {
      Market mk = ms[m];
      int k = chosen[m][t];
      double s = fill * mk.demand[t][k];
      value += s * mk.value[t][k];
      cap -= s * mk.consumption[t][k];
      stock -= s;
      if (mk.arrival[t][k] >= 0) {
        next[mk.arrival[t][k]] += mk.returned[t][k] * s;
      }
    }
    if (fill < 1) {
      stock = 0;
    }
    weekStock[t + 1] = stock + next[t + 1];
    weekCap[t + 1] = cap;
    weekValue[t + 1] = value;
    week(t + 1);
  }
}
