package io.pricepath.optimizer.lagrangian;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Lagrangian decomposition of the multi-article markdown problem (after Streeck et al., 2024):
 * the coupling rows are dualised with multipliers λ &ge; 0, so that for fixed λ every article is
 * solved on its own; λ is updated by a cutting-plane master LP (GLOP) stabilised by a box trust
 * region around the best multipliers, with max-violation heuristic cuts from the articles' cached
 * paths between full evaluations; a plan is then recovered by choosing one cached path per article.
 *
 * <p>The dual function {@code LR(λ) = pool.solveAll(λ).lagrangian + λ·rhs} is an upper bound on
 * the optimum for every λ; the result's dual bound is the least value seen. The run starts at λ =
 * 0 (if that plan meets every row it is optimal) and stops when the dual bound is within the gap
 * tolerance of a known plan or of the master's lower estimate, or after {@code maxIterations} full
 * evaluations. When the plan recovered then is not yet within the tolerance, iterations left probe
 * the best multipliers (see {@link #PROBES}): articles cache their few best paths around them, and
 * the plan is recovered again.
 *
 * <p>Primal recovery: the multipliers that minimise the dual over the cached paths (the dual of
 * the selection LP) are found by heuristic cuts alone; the {@link #OPEN_ARTICLES} articles whose
 * choice is closest to a tie under them keep all their cached paths, every other article its best
 * one; a selection MIP (small) or the rounded and repaired LP relaxation (large) chooses. When the
 * plan misses a hard row, four times as many articles are opened, until every article is. On
 * instances of at most {@link #ENUMERATION_ARTICLES} articles whose gap is still above the
 * tolerance, one more full evaluation caches every path within the gap of its article's best under
 * the best multipliers — every path of every better plan is among them — and the selection MIP is
 * solved again: when it proves optimality over complete enumerations, the plan is optimal.
 *
 * <p>Soft rows (a penalty per unit of violation, on the row or for the run) cap their multiplier at
 * the penalty; the plan may violate them and pays the penalty, which the primal objective includes.
 * Hard rows that cannot all be met drive the dual down: once it falls below the least profit any
 * plan can make ({@link ArticleEvaluation#profitFloor()}), infeasibility is proven and the dual
 * phase stops; the least-violating plan is returned marked infeasible, and the result lists every
 * row's violation. Iterations of the master that GLOP fails to solve end the dual phase early.
 */
public final class LagrangianDecomposition {

  /** Most listed paths of open articles for which primal recovery solves an exact selection MIP. */
  static final int RECOVERY_MIP_LIMIT = 60_000;

  /** Time limit of each primal recovery MIP solve. */
  static final double RECOVERY_SECONDS = 30;

  /** Articles that keep all their cached paths in primal recovery; the others keep their best one. */
  static final int OPEN_ARTICLES = 10_000;

  /** Most articles opened when a recovery is retried. */
  static final int MAX_OPEN_ARTICLES = 200_000;

  /** Most full evaluations spent after the dual converged on probing around the best multipliers. */
  static final int PROBES = 6;

  /** Paths per article cached by each probe. */
  static final int PROBE_PATHS = 4;

  /** Most articles for which paths within the gap are enumerated. */
  static final int ENUMERATION_ARTICLES = 2_000;

  /** Most paths per article an enumeration caches. */
  static final int ENUMERATION_PATHS = 256;

  private static final int REFINE_ROUNDS = 50;
  private static final double PROBE_SPREAD = 0.5;
  private static final long PROBE_SEED = 17;
  private static final double INITIAL_RADIUS = 1.0;
  private static final double MIN_RADIUS = 1e-6;

  private LagrangianDecomposition() {}

  /** {@link #solve(ArticlePool, List, DecompositionSettings, Consumer)} without a progress listener. */
  public static DecompositionResult solve(ArticlePool pool, List<CouplingRow> rows, DecompositionSettings settings) {
    return solve(pool, rows, settings, iteration -> {});
  }

  /**
   * Runs the decomposition over {@code pool} under coupling rows {@code rows} (each {@code Σ_a g_a
   * ≤ rhs}), calling {@code progress} after every outer iteration.
   */
  public static DecompositionResult solve(
      ArticlePool pool, List<CouplingRow> rows, DecompositionSettings settings, Consumer<DecompositionResult.Iteration> progress) {
    return new Run(pool, rows, settings, progress).run();
  }

  /** One run's state. */
  private static final class Run {
    private final ArticlePool pool;
    private final DecompositionSettings settings;
    private final Consumer<DecompositionResult.Iteration> progress;
    private final List<CouplingRow> rows;
    private final int m;
    private final double[] rhs;
    private final double[] penalty;
    private final double[] cap;
    private final List<DecompositionResult.Iteration> iterations = new ArrayList<>();
    private double bestDual = Double.POSITIVE_INFINITY;
    private double[] bestLambda;
    private double bestPlanValue = Double.NEGATIVE_INFINITY;
    private double[] bestPlanLambda;
    private double[] proof;
    private long articles;
    private List<ArticleCandidates> lastCandidates;

    Run(ArticlePool pool, List<CouplingRow> rows, DecompositionSettings settings, Consumer<DecompositionResult.Iteration> progress) {
      this.pool = pool;
      this.rows = List.copyOf(rows);
      this.settings = settings;
      this.progress = progress;
      this.m = rows.size();
      this.rhs = new double[m];
      this.penalty = new double[m];
      this.cap = new double[m];
      for (int i = 0; i < m; i++) {
        rhs[i] = rows.get(i).rhs();
        penalty[i] = settings.penaltyOf(rows.get(i));
        cap[i] = Double.isNaN(penalty[i]) ? CuttingPlaneMaster.MAX_LAMBDA : penalty[i];
      }
      this.bestLambda = new double[m];
    }

    DecompositionResult run() {
      PrimalRecovery.Plan plan;
      try (CuttingPlaneMaster master = new CuttingPlaneMaster(rhs, cap)) {
        dualPhase(master);
        if (proof != null) {
          plan = recover(pool.candidates(proof, OPEN_ARTICLES));
          return result(plan, false);
        }
        plan = recoverAround(refine(master));
        if (!closed(plan) && probe(master)) {
          PrimalRecovery.Plan probed = recoverAround(refine(master));
          plan = better(probed, plan);
        }
      }
      boolean certified = false;
      if (plan.feasible() && articles <= ENUMERATION_ARTICLES && m > 0 && iterations.size() < settings.maxIterations()
          && !closed(plan)) {
        long start = System.nanoTime();
        double slack = Math.max(0, bestDual - plan.value()) * (1 + 1e-9) + 1e-9 * Math.max(1, Math.abs(bestDual));
        int most = (int) Math.max(PROBE_PATHS, Math.min(ENUMERATION_PATHS, RECOVERY_MIP_LIMIT / Math.max(1, articles)));
        ArticlePool.Enumeration enumeration = pool.enumerate(bestLambda, slack, most);
        record(enumeration.evaluation().lagrangian() + dot(bestLambda, rhs), Double.NaN, 0, start);
        PrimalRecovery.Plan complete = recover(pool.candidates());
        if (complete.value() >= plan.value()) {
          plan = complete;
          certified = complete.optimal() && enumeration.truncated() == 0;
        }
      }
      return result(plan, certified);
    }

    /** Whether {@code plan} meets the hard rows and is within the gap tolerance of the dual bound. */
    private boolean closed(PrimalRecovery.Plan plan) {
      return plan.feasible() && relativeGap(bestDual, plan.value()) <= settings.gapTolerance();
    }

    private static PrimalRecovery.Plan better(PrimalRecovery.Plan a, PrimalRecovery.Plan b) {
      if (a.feasible() != b.feasible()) {
        return a.feasible() ? a : b;
      }
      return a.value() >= b.value() ? a : b;
    }

    /** Cutting planes with heuristic cuts until the gap closes, infeasibility is proven or iterations run out. */
    private void dualPhase(CuttingPlaneMaster master) {
      double[] lambda = new double[m];
      double[] center = new double[m];
      double[] radius = new double[m];
      Arrays.fill(radius, INITIAL_RADIUS);
      boolean onBox = false;
      for (int it = 1; it <= settings.maxIterations(); it++) {
        long start = System.nanoTime();
        ArticleEvaluation eval = pool.solveAll(lambda);
        articles = eval.articles();
        double dual = eval.lagrangian() + dot(lambda, rhs);
        master.addCut(eval.profit(), eval.rowActivity());
        if (dual < bestDual) {
          if (it > 1 && onBox) {
            scale(radius, 4);
          }
          bestDual = dual;
          bestLambda = lambda.clone();
          center = lambda.clone();
        } else {
          scale(radius, 0.5);
        }
        double value = planValue(eval.profit(), eval.rowActivity());
        if (value > bestPlanValue) {
          bestPlanValue = value;
          bestPlanLambda = lambda.clone();
        }
        if (provesInfeasible(dual, eval.profitFloor(), lambda)) {
          proof = lambda.clone();
          record(dual, Double.NaN, 0, start);
          return;
        }
        if (m == 0 || relativeGap(bestDual, bestPlanValue) <= settings.gapTolerance()) {
          record(dual, dual, 0, start);
          return;
        }
        int heuristic = 0;
        CuttingPlaneMaster.Solution solution = master.solve(center, radius);
        for (int h = 0; solution != null && h < settings.heuristicCutsPerIteration(); h++) {
          ArticleEvaluation estimate = pool.bestCached(solution.lambda());
          double lower = estimate.lagrangian() + dot(solution.lambda(), rhs);
          if (lower <= solution.value() + 1e-9 * Math.max(1, Math.abs(lower))) {
            break;
          }
          master.addCut(estimate.profit(), estimate.rowActivity());
          heuristic++;
          solution = master.solve(center, radius);
        }
        if (solution == null) {
          // the master LP failed numerically: keep what the evaluations so far proved
          record(dual, Double.NaN, heuristic, start);
          return;
        }
        record(dual, solution.value(), heuristic, start);
        boolean dualConverged = relativeGap(bestDual, solution.value()) <= settings.gapTolerance();
        if (dualConverged && !solution.onBox()) {
          return;
        }
        if (dualConverged) {
          scale(radius, 4);
        }
        lambda = solution.lambda();
        onBox = solution.onBox();
        if (atHardCap(lambda)) {
          // the box grew to its limit on a hard row: it cannot be met, though the floor did not prove it
          return;
        }
      }
    }

    /**
     * Recovery probes: full evaluations around the best multipliers, so that every article caches
     * the paths it prefers near them (on both sides of each row) for the selection to combine.
     */
    private boolean probe(CuttingPlaneMaster master) {
      boolean constrained = false;
      for (double l : bestLambda) {
        constrained |= l > 0;
      }
      if (!constrained || relativeGap(bestDual, bestPlanValue) <= settings.gapTolerance()) {
        return false;
      }
      int reserve = articles <= ENUMERATION_ARTICLES ? 1 : 0;
      int probes = Math.min(PROBES, settings.maxIterations() - iterations.size() - reserve);
      Random random = new Random(PROBE_SEED);
      for (int probe = 0; probe < probes; probe++) {
        long start = System.nanoTime();
        double[] lambda = new double[m];
        for (int i = 0; i < m; i++) {
          double spread = probe == 0 ? 0 : PROBE_SPREAD * (2 * random.nextDouble() - 1);
          lambda[i] = Math.min(cap[i], bestLambda[i] * Math.exp(spread));
        }
        ArticleEvaluation eval = pool.solveAll(lambda, PROBE_PATHS);
        master.addCut(eval.profit(), eval.rowActivity());
        double dual = eval.lagrangian() + dot(lambda, rhs);
        if (dual < bestDual) {
          bestDual = dual;
          bestLambda = lambda;
        }
        double value = planValue(eval.profit(), eval.rowActivity());
        if (value > bestPlanValue) {
          bestPlanValue = value;
          bestPlanLambda = lambda.clone();
        }
        record(dual, Double.NaN, 0, start);
      }
      return probes > 0;
    }

    /**
     * The multipliers that minimise the dual over the cached paths only (the dual of the selection
     * LP), by heuristic cuts from the best multipliers on: the choice of the articles not close to
     * a tie under them is that of the selection LP.
     */
    private double[] refine(CuttingPlaneMaster master) {
      double[] lambda = bestLambda;
      if (m == 0) {
        return lambda;
      }
      double[] radius = new double[m];
      Arrays.fill(radius, Double.POSITIVE_INFINITY);
      for (int round = 0; round < REFINE_ROUNDS; round++) {
        CuttingPlaneMaster.Solution solution = master.solve(bestLambda, radius);
        if (solution == null) {
          break;
        }
        lambda = solution.lambda();
        ArticleEvaluation estimate = pool.bestCached(lambda);
        double lower = estimate.lagrangian() + dot(lambda, rhs);
        if (lower <= solution.value() + 1e-9 * Math.max(1, Math.abs(lower))) {
          break;
        }
        master.addCut(estimate.profit(), estimate.rowActivity());
      }
      return lambda;
    }

    /**
     * Recovery with the articles closest to a tie under {@code lambda} open, four times as many
     * each time the plan misses a hard row, until it meets them or every article is open.
     */
    private PrimalRecovery.Plan recoverAround(double[] lambda) {
      long open = OPEN_ARTICLES;
      while (true) {
        PrimalRecovery.Plan plan = recover(pool.candidates(lambda, (int) Math.min(Integer.MAX_VALUE, open)));
        if (plan.feasible() || open >= articles || open >= MAX_OPEN_ARTICLES) {
          return plan;
        }
        open *= 4;
      }
    }

    private PrimalRecovery.Plan recover(List<ArticleCandidates> candidates) {
      lastCandidates = candidates;
      PrimalRecovery recovery = new PrimalRecovery(candidates, rhs, penalty, RECOVERY_MIP_LIMIT, RECOVERY_SECONDS);
      PrimalRecovery.Plan plan = recovery.recover();
      if (bestPlanLambda != null && (bestPlanValue > plan.value() || !plan.feasible())) {
        // a full evaluation's plan was better: take each article's best cached path under its multipliers
        PrimalRecovery fixed = new PrimalRecovery(pool.candidates(bestPlanLambda, 0), rhs, penalty, 0, 0);
        PrimalRecovery.Plan full = fixed.plan(new int[candidates.size()], false);
        if (full.feasible() && (!plan.feasible() || full.value() > plan.value())) {
          plan = full;
        }
      }
      return plan;
    }

    private DecompositionResult result(PrimalRecovery.Plan plan, boolean certified) {
      List<ArticleCandidates> keys = lastCandidates;
      Map<String, Integer> choice = new HashMap<>(Math.max(16, plan.choice().length * 4 / 3 + 1));
      for (int a = 0; a < keys.size(); a++) {
        choice.put(keys.get(a).key(), plan.choice()[a]);
      }
      double[] scale = new PrimalRecovery(keys, rhs, penalty, 0, 0).scale();
      List<DecompositionResult.RowOutcome> outcomes = new ArrayList<>(m);
      boolean softened = false;
      for (int i = 0; i < m; i++) {
        double activity = plan.rowActivity()[i];
        double violation = Math.max(0, activity - rhs[i]);
        boolean met = activity - rhs[i] <= PrimalRecovery.ROW_TOLERANCE * scale[i];
        boolean soft = !Double.isNaN(penalty[i]);
        softened |= soft && !met;
        outcomes.add(new DecompositionResult.RowOutcome(rows.get(i).name(), rhs[i], activity, violation, penalty[i],
            soft ? penalty[i] * violation : 0, met, proof != null && proof[i] > 0 && !soft));
      }
      DecompositionResult.Outcome outcome = !plan.feasible() ? DecompositionResult.Outcome.MISSED
          : softened ? DecompositionResult.Outcome.SOFTENED : DecompositionResult.Outcome.MET;
      return new DecompositionResult(
          proof != null ? proof.clone() : bestLambda,
          plan.value(),
          bestDual,
          plan.feasible() ? relativeGap(bestDual, plan.value()) : Double.POSITIVE_INFINITY,
          plan.feasible(),
          plan.rowActivity(),
          Map.copyOf(choice),
          List.copyOf(iterations),
          List.copyOf(outcomes),
          plan.penaltyPaid(),
          outcome,
          proof != null,
          certified && plan.feasible());
    }

    /** Profit less soft penalties of a plan with row activity {@code activity}; −∞ when it misses a hard row. */
    private double planValue(double profit, double[] activity) {
      double value = profit;
      for (int i = 0; i < m; i++) {
        double excess = activity[i] - rhs[i];
        if (Double.isNaN(penalty[i])) {
          if (excess > 1e-9 * Math.max(1, Math.max(Math.abs(rhs[i]), Math.abs(activity[i])))) {
            return Double.NEGATIVE_INFINITY;
          }
        } else if (excess > 0) {
          value -= penalty[i] * excess;
        }
      }
      return value;
    }

    /**
     * Whether the dual value at {@code lambda} lies below the least profit any plan makes: every
     * plan meeting the hard rows is worth at least that, and (with no multiplier on a soft row) the
     * dual bounds it from above.
     */
    private boolean provesInfeasible(double dual, double floor, double[] lambda) {
      if (!(floor > Double.NEGATIVE_INFINITY)) {
        return false;
      }
      for (int i = 0; i < m; i++) {
        if (!Double.isNaN(penalty[i]) && lambda[i] > 0) {
          return false;
        }
      }
      return dual < floor - 1e-9 * Math.max(1, Math.abs(floor));
    }

    private boolean atHardCap(double[] lambda) {
      for (int i = 0; i < m; i++) {
        if (Double.isNaN(penalty[i]) && lambda[i] >= CuttingPlaneMaster.MAX_LAMBDA * (1 - 1e-9)) {
          return true;
        }
      }
      return false;
    }

    private void record(double dual, double master, int cuts, long start) {
      DecompositionResult.Iteration iteration = new DecompositionResult.Iteration(
          iterations.size() + 1, dual, bestDual, master, cuts, (System.nanoTime() - start) / 1_000_000);
      iterations.add(iteration);
      progress.accept(iteration);
    }
  }

  /** (upper − lower) / |upper|, or the absolute difference when the upper value is 0. */
  static double relativeGap(double upper, double lower) {
    if (lower == Double.NEGATIVE_INFINITY) {
      return Double.POSITIVE_INFINITY;
    }
    double gap = upper - lower;
    return upper == 0 ? gap : gap / Math.abs(upper);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void scale(double[] radius, double factor) {
    for (int i = 0; i < radius.length; i++) {
      radius[i] = Math.max(MIN_RADIUS, radius[i] * factor);
    }
  }
}
