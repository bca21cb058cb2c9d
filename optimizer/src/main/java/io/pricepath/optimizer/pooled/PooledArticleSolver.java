package io.pricepath.optimizer.pooled;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathRules;
import io.pricepath.optimizer.article.PathSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Exact solver of an article whose markets share one stock pool: how the pool is allocated to the
 * markets and one admissible discount path per market (each under its own rules, see {@link
 * ArticleSolver}), maximising the sum over markets of profit less the market's coupling weights'
 * price of its sales.
 *
 * <p>The model: the pool of {@code P} units is <b>allocated once, at the start of the horizon</b>:
 * market {@code m} receives a share {@code y_m} in whole lots ({@link #lotSize}: whole units when
 * the pool is a whole number of units and no market could sell more than {@value #MAX_LOTS}
 * units), {@code Σ_m y_m ≤ P}, and then sells from its share exactly as a single market sells from
 * its stock ({@link ArticleSolver}'s model: sales {@code min(q_t, S_t)}, returns back in the
 * market's stock, late returns and the stock left after the exit week worth the market's residual
 * value). A market never receives more than it could sell, {@code y_m ≤ Y_m = Σ_{t ≤ exit_m} max_k
 * q_{m,t,k}} (rounded up to a lot); what is not allocated stays in the pool, worth the pool's
 * residual value per unit. This is the initial allocation of a season's buy to the markets'
 * stocks: it gives up rebalancing between markets during the horizon, which is what makes the
 * article exactly solvable at 10 markets (rationing a pool that runs short week by week couples
 * every market's every week; an exact search over that model took minutes per article at 10
 * markets). With one market the plan is the single-market plan on the best share of the pool
 * (never worse than on the whole pool); with an unlimited pool every market is solved alone.
 *
 * <p>{@link #solve} is exact: with {@code V_m(y)} the best objective of market {@code m} alone on
 * {@code y} lots (one exact {@link ArticleSolver} solve per share, {@code y = 0..Y_m}), a dynamic
 * programme over markets and lots allocated maximises {@code Σ_m V_m(y_m) + residual·(P − Σ_m
 * y_m)}: {@code Σ_m (Y_m + 1)} single-market solves and {@code O(M·Σ_m Y_m·max_m Y_m)} additions,
 * with {@code Y_m} counted in lots. Each market's {@link PathSummary} carries its own sales; its
 * profit is its single-market profit on its share plus the pool's residual value of the difference
 * between the stock share attributed to it in the problem ({@link ArticleProblem#startStock()})
 * and the share allocated, so the markets' profits sum to the article's. An instance keeps
 * buffers: it is not thread-safe, use one per thread.
 */
public final class PooledArticleSolver {

  /** Most lots a market's share is counted in: markets that could sell more count in coarser lots. */
  static final int MAX_LOTS = 500;

  private final ArticleSolver single = new ArticleSolver();
  private double[] shares = new double[0];
  private long solves;
  private double lastObjective = Double.NaN;

  /** An exact solver with empty buffers. */
  public PooledArticleSolver() {}

  /**
   * An exact solver, as {@link #PooledArticleSolver()}: kept for callers of the earlier search,
   * whose node budget the exact allocation programme no longer needs.
   *
   * @throws IllegalArgumentException when {@code nodes < 1}
   * @deprecated the solve is always exact and fast; use {@link #PooledArticleSolver()}
   */
  @Deprecated
  public static PooledArticleSolver withNodeBudget(long nodes) {
    if (nodes < 1) {
      throw new IllegalArgumentException("Cannot create pooled solver: node budget must be >= 1 (%d)".formatted(nodes));
    }
    return new PooledArticleSolver();
  }

  /**
   * An upper bound on the objective of the last {@link #solve}: the solve is exact, so it is the
   * objective of the plan returned.
   */
  public double lastUpperBound() {
    return lastObjective;
  }

  /** Whether the last {@link #solve} proved its plan optimal: always, the solve is exact. */
  public boolean lastExact() {
    return true;
  }

  /**
   * Units of the pool allocated to each market by the last {@link #solve}, in the order of {@code
   * p.markets()}; {@code Double.POSITIVE_INFINITY} for every market of an unlimited pool.
   */
  public double[] lastShares() {
    return shares.clone();
  }

  /** Single-market solves of the last {@link #solve}. */
  long lastSolves() {
    return solves;
  }

  /**
   * The pool's allocation and one admissible path per market maximising, summed over markets,
   * profit less the market's coupling weights' price of its sales; the summaries are in the order
   * of {@code p.markets()} and {@link #lastShares()} gives the allocation.
   *
   * @param weights one per market, in the order of {@code p.markets()}
   * @throws IllegalArgumentException when a live or locked level is not on its ladder, or the
   *     weights do not match the markets or the horizon
   */
  public List<PathSummary> solve(PooledArticleProblem p, CouplingWeights[] weights) {
    checkWeights(p, weights);
    List<ArticleProblem> markets = p.markets();
    int n = markets.size();
    for (ArticleProblem market : markets) {
      PathRules.validate(market);
    }
    shares = new double[n];
    solves = 0;
    if (p.poolStock() == Double.POSITIVE_INFINITY) {
      List<PathSummary> summaries = new ArrayList<>(n);
      for (int m = 0; m < n; m++) {
        summaries.add(single.solve(markets.get(m), weights[m]));
        shares[m] = Double.POSITIVE_INFINITY;
        solves++;
      }
      lastObjective = objective(p, weights, summaries);
      return summaries;
    }
    shares = allocation(p, (m, onShare) -> {
      solves++;
      return ArticleSolver.objective(onShare, weights[m], single.solve(onShare, weights[m]));
    });
    List<PathSummary> summaries = new ArrayList<>(n);
    for (int m = 0; m < n; m++) {
      PathSummary own = single.solve(markets.get(m).withStartStock(shares[m]), weights[m]);
      summaries.add(attributed(p, m, own, shares[m]));
    }
    lastObjective = objective(p, weights, summaries);
    return summaries;
  }

  /**
   * Each market's summary when the markets follow {@code levels} ({@code [markets][T]}, admissible
   * or not) and the pool is allocated, as {@link #solve} allocates it, so as to maximise the
   * article's profit on these paths (no coupling weights); the markets' profits sum to the
   * article's. A plan {@link #solve} returned under coupling weights may allocate otherwise: {@link
   * #evaluate(PooledArticleProblem, int[][], double[])} with its {@link #lastShares()} reproduces
   * it exactly.
   *
   * @throws IllegalArgumentException when the paths do not match the markets, the horizon or the
   *     ladders
   */
  public static List<PathSummary> evaluate(PooledArticleProblem p, int[][] levels) {
    return evaluate(p, levels, allocation(p, levels));
  }

  /**
   * The allocation of the pool ({@code shares[m]} units to market {@code m}) that maximises the
   * article's profit when the markets follow {@code levels} ({@code [markets][T]}), as {@link
   * #evaluate(PooledArticleProblem, int[][])} allocates it; every share is unlimited when the pool is.
   *
   * @throws IllegalArgumentException when the paths do not match the markets, the horizon or the
   *     ladders
   */
  public static double[] allocation(PooledArticleProblem p, int[][] levels) {
    if (levels.length != p.markets().size()) {
      throw new IllegalArgumentException(
          "Cannot evaluate pooled article %s: %d paths for %d markets".formatted(p.key(), levels.length, p.markets().size()));
    }
    if (p.poolStock() == Double.POSITIVE_INFINITY) {
      double[] unlimited = new double[levels.length];
      Arrays.fill(unlimited, Double.POSITIVE_INFINITY);
      return unlimited;
    }
    return allocation(p, (m, onShare) -> {
      try {
        return ArticleSolver.summarize(onShare, levels[m]).profit();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Cannot evaluate pooled article %s: market %s: %s".formatted(p.key(), onShare.market(), e.getMessage()), e);
      }
    });
  }

  /**
   * Each market's summary when the markets follow {@code levels} ({@code [markets][T]}, admissible
   * or not) and market {@code m} sells from {@code shares[m]} units of the pool; the markets'
   * profits sum to the article's, the pool's stock not allocated valued at its residual value.
   *
   * @throws IllegalArgumentException when the paths do not match the markets, the horizon or the
   *     ladders, or the shares are negative or sum to more than the pool
   */
  public static List<PathSummary> evaluate(PooledArticleProblem p, int[][] levels, double[] shares) {
    List<ArticleProblem> markets = p.markets();
    int n = markets.size();
    if (levels.length != n || shares.length != n) {
      throw new IllegalArgumentException(
          "Cannot evaluate pooled article %s: %d paths and %d shares for %d markets".formatted(p.key(), levels.length, shares.length, n));
    }
    double total = 0;
    for (int m = 0; m < n; m++) {
      if (!(shares[m] >= 0) || (shares[m] == Double.POSITIVE_INFINITY) != (p.poolStock() == Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "Cannot evaluate pooled article %s: share of market %s must be >= 0, and unlimited exactly when the pool is (%s)"
                .formatted(p.key(), markets.get(m).market(), shares[m]));
      }
      total += shares[m];
    }
    if (p.poolStock() != Double.POSITIVE_INFINITY && total > p.poolStock() * (1 + 1e-9) + 1e-9) {
      throw new IllegalArgumentException(
          "Cannot evaluate pooled article %s: shares sum to %s, the pool holds %s".formatted(p.key(), total, p.poolStock()));
    }
    List<PathSummary> summaries = new ArrayList<>(n);
    for (int m = 0; m < n; m++) {
      ArticleProblem market = markets.get(m);
      if (levels[m].length != p.weeks()) {
        throw new IllegalArgumentException(
            "Cannot evaluate pooled article %s: path of market %s covers %d weeks, the horizon %d"
                .formatted(p.key(), market.market(), levels[m].length, p.weeks()));
      }
      PathSummary own;
      try {
        own = ArticleSolver.summarize(market.withStartStock(shares[m]), levels[m]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Cannot evaluate pooled article %s: market %s: %s".formatted(p.key(), market.market(), e.getMessage()), e);
      }
      summaries.add(attributed(p, m, own, shares[m]));
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

  /**
   * Units per lot in which {@link #solve} counts the shares of {@code p}: the pool divided into
   * {@code ⌈P / L₀⌉} equal lots, {@code L₀ = max(1, ⌈max_m Y_m / }{@value #MAX_LOTS}{@code ⌉)};
   * one unit when the pool is a whole number of units and no market could sell more than
   * {@value #MAX_LOTS} units. {@code L₀} for an empty or unlimited pool.
   */
  public static double lotSize(PooledArticleProblem p) {
    double most = 0;
    for (ArticleProblem market : p.markets()) {
      most = Math.max(most, mostSellable(market));
    }
    double base = Math.max(1, Math.ceil(most / MAX_LOTS));
    double pool = p.poolStock();
    if (pool == 0 || pool == Double.POSITIVE_INFINITY) {
      return base;
    }
    return pool / Math.max(1, Math.ceil(pool / base - 1e-9));
  }

  /** The most units a market could sell over its weeks on sale, whatever its path: {@code Y_m}. */
  static double mostSellable(ArticleProblem market) {
    double most = 0;
    for (int t = 0; t <= market.rules().lastSaleWeek(); t++) {
      most += Arrays.stream(market.demand()[t]).max().orElse(0);
    }
    return most;
  }

  /** Value of a market's plan on a share of the pool: {@code onShare} is the market with that share as its stock. */
  private interface ShareValue {
    double of(int market, ArticleProblem onShare);
  }

  /**
   * Units of a finite pool allocated to each market maximising {@code Σ_m value(m, y_m) +
   * residual·(P − Σ_m y_m)} over shares in whole lots, each at most what the market could sell.
   */
  private static double[] allocation(PooledArticleProblem p, ShareValue value) {
    List<ArticleProblem> markets = p.markets();
    int n = markets.size();
    double lot = lotSize(p);
    int poolLots = (int) Math.min(Integer.MAX_VALUE / 2, Math.round(p.poolStock() / lot));
    int[] cap = new int[n];
    double[][] values = new double[n][];
    for (int m = 0; m < n; m++) {
      cap[m] = (int) Math.min(poolLots, Math.ceil(mostSellable(markets.get(m)) / lot - 1e-9));
      values[m] = new double[cap[m] + 1];
      for (int y = 0; y <= cap[m]; y++) {
        values[m][y] = value.of(m, markets.get(m).withStartStock(y * lot));
      }
    }
    int[] lots = allocate(values, cap, poolLots, p.residualValue() * lot);
    double[] units = new double[n];
    for (int m = 0; m < n; m++) {
      units[m] = lots[m] * lot;
    }
    return units;
  }

  /**
   * Lots per market maximising {@code Σ_m value[m][y_m] + lotResidual·(pool − Σ_m y_m)} with
   * {@code 0 ≤ y_m ≤ cap[m]} and {@code Σ_m y_m ≤ pool}: a dynamic programme over markets and lots
   * used (the first best on ties).
   */
  static int[] allocate(double[][] value, int[] cap, int pool, double lotResidual) {
    int n = value.length;
    int reach = 0;
    double[] best = {0};
    int[][] choice = new int[n][];
    for (int m = 0; m < n; m++) {
      int nextReach = (int) Math.min(pool, (long) reach + cap[m]);
      double[] next = new double[nextReach + 1];
      Arrays.fill(next, Double.NEGATIVE_INFINITY);
      choice[m] = new int[nextReach + 1];
      double[] v = value[m];
      for (int used = 0; used <= reach; used++) {
        double before = best[used];
        if (before == Double.NEGATIVE_INFINITY) {
          continue;
        }
        int most = Math.min(cap[m], nextReach - used);
        for (int y = 0; y <= most; y++) {
          double candidate = before + v[y];
          if (candidate > next[used + y]) {
            next[used + y] = candidate;
            choice[m][used + y] = y;
          }
        }
      }
      best = next;
      reach = nextReach;
    }
    int used = 0;
    double top = Double.NEGATIVE_INFINITY;
    for (int c = 0; c <= reach; c++) {
      double total = best[c] + lotResidual * (pool - c);
      if (best[c] != Double.NEGATIVE_INFINITY && total > top) {
        top = total;
        used = c;
      }
    }
    int[] lots = new int[n];
    for (int m = n - 1; m >= 0; m--) {
      lots[m] = choice[m][used];
      used -= lots[m];
    }
    return lots;
  }

  /** {@code own} (market {@code m} alone on {@code share}) with the pool's residual value of its attributed share not allocated. */
  private static PathSummary attributed(PooledArticleProblem p, int m, PathSummary own, double share) {
    if (p.poolStock() == Double.POSITIVE_INFINITY) {
      return own;
    }
    double profit = own.profit() + p.residualValue() * (p.markets().get(m).startStock() - share);
    return new PathSummary(own.levels(), profit, own.discountValue(), own.grossValue(), own.units());
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
}
