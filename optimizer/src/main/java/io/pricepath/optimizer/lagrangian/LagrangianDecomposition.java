package io.pricepath.optimizer.lagrangian;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * tolerance of a known feasible plan or of the master's lower estimate, or after {@code
 * maxIterations} full evaluations. Iterations left then probe the best multipliers (see {@link
 * #PROBES}): articles cache their few best paths around them, which primal recovery combines.
 *
 * <p>When no combination of cached paths meets every row the result is marked infeasible, holds
 * the least-violating plan (its row activity shows the violations) and its gap is {@code +∞}.
 * Iterations of the master that GLOP fails to solve end the dual phase early; probe iterations
 * report a master value of NaN.
 */
public final class LagrangianDecomposition {

  /** Most candidate paths in all for which primal recovery solves an exact selection MIP. */
  static final int RECOVERY_MIP_LIMIT = 200_000;

  /** Time limit of each primal recovery MIP solve. */
  static final double RECOVERY_SECONDS = 30;

  /** Most full evaluations spent after the dual converged on probing around the best multipliers. */
  static final int PROBES = 6;

  /** Paths per article cached by each probe. */
  static final int PROBE_PATHS = 4;

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
    int m = rows.size();
    double[] rhs = new double[m];
    for (int i = 0; i < m; i++) {
      rhs[i] = rows.get(i).rhs();
    }
    List<DecompositionResult.Iteration> iterations = new ArrayList<>();
    double[] lambda = new double[m];
    double[] center = new double[m];
    double[] radius = new double[m];
    java.util.Arrays.fill(radius, INITIAL_RADIUS);
    double bestDual = Double.POSITIVE_INFINITY;
    double[] bestLambda = new double[m];
    double bestFeasibleProfit = Double.NEGATIVE_INFINITY;
    try (CuttingPlaneMaster master = new CuttingPlaneMaster(rhs)) {
      boolean onBox = false;
      for (int it = 1; it <= settings.maxIterations(); it++) {
        long start = System.nanoTime();
        ArticleEvaluation eval = pool.solveAll(lambda);
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
        if (meets(eval.rowActivity(), rhs)) {
          bestFeasibleProfit = Math.max(bestFeasibleProfit, eval.profit());
        }
        if (m == 0 || relativeGap(bestDual, bestFeasibleProfit) <= settings.gapTolerance()) {
          iterations.add(record(progress, it, dual, bestDual, dual, 0, start));
          break;
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
          iterations.add(record(progress, it, dual, bestDual, Double.NaN, heuristic, start));
          break;
        }
        iterations.add(record(progress, it, dual, bestDual, solution.value(), heuristic, start));
        boolean dualConverged = relativeGap(bestDual, solution.value()) <= settings.gapTolerance();
        if (dualConverged && !solution.onBox()) {
          break;
        }
        if (dualConverged) {
          scale(radius, 4);
        }
        lambda = solution.lambda();
        onBox = solution.onBox();
      }
    }
    // Recovery probes: full evaluations around the best multipliers, so that every article caches
    // the paths it prefers near them (on both sides of each row) for the selection to combine.
    boolean constrained = false;
    for (double l : bestLambda) {
      constrained |= l > 0;
    }
    java.util.Random random = new java.util.Random(PROBE_SEED);
    int probes = constrained ? Math.min(PROBES, settings.maxIterations() - iterations.size()) : 0;
    for (int probe = 0; probe < probes; probe++) {
      long start = System.nanoTime();
      double[] probeLambda = new double[m];
      for (int i = 0; i < m; i++) {
        double spread = probe == 0 ? 0 : PROBE_SPREAD * (2 * random.nextDouble() - 1);
        probeLambda[i] = bestLambda[i] * Math.exp(spread);
      }
      ArticleEvaluation eval = pool.solveAll(probeLambda, PROBE_PATHS);
      double dual = eval.lagrangian() + dot(probeLambda, rhs);
      if (dual < bestDual) {
        bestDual = dual;
        bestLambda = probeLambda;
      }
      iterations.add(record(progress, iterations.size() + 1, dual, bestDual, Double.NaN, 0, start));
    }
    List<ArticleCandidates> candidates = pool.candidates();
    PrimalRecovery recovery = new PrimalRecovery(candidates, rhs, RECOVERY_MIP_LIMIT, RECOVERY_SECONDS);
    PrimalRecovery.Plan plan = recovery.recover();
    Map<String, Integer> choice = new HashMap<>();
    for (int a = 0; a < candidates.size(); a++) {
      choice.put(candidates.get(a).key(), plan.choice()[a]);
    }
    return new DecompositionResult(
        bestLambda,
        plan.profit(),
        bestDual,
        plan.feasible() ? relativeGap(bestDual, plan.profit()) : Double.POSITIVE_INFINITY,
        plan.feasible(),
        plan.rowActivity(),
        Map.copyOf(choice),
        List.copyOf(iterations));
  }

  private static DecompositionResult.Iteration record(
      Consumer<DecompositionResult.Iteration> progress, int index, double dual, double bestDual, double master, int cuts, long start) {
    DecompositionResult.Iteration iteration =
        new DecompositionResult.Iteration(index, dual, bestDual, master, cuts, (System.nanoTime() - start) / 1_000_000);
    progress.accept(iteration);
    return iteration;
  }

  /** (upper − lower) / |upper|, or the absolute difference when the upper value is 0. */
  static double relativeGap(double upper, double lower) {
    if (lower == Double.NEGATIVE_INFINITY) {
      return Double.POSITIVE_INFINITY;
    }
    double gap = upper - lower;
    return upper == 0 ? gap : gap / Math.abs(upper);
  }

  private static boolean meets(double[] activity, double[] rhs) {
    for (int i = 0; i < rhs.length; i++) {
      if (activity[i] > rhs[i] + 1e-9 * Math.max(1, Math.max(Math.abs(rhs[i]), Math.abs(activity[i])))) {
        return false;
      }
    }
    return true;
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
