package io.pricepath.optimizer.lagrangian;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Primal recovery: one cached path per article such that every coupling row holds and total
 * profit is highest. Small selections are solved as a MIP (SCIP, with a time limit); large ones,
 * or ones SCIP finds no plan for in time, by the LP relaxation (GLOP) rounded per article and
 * repaired greedily. When the rows cannot all be met with the cached paths, the plan with the
 * least total (row-scaled) violation is returned, most profitable first, marked infeasible.
 */
final class PrimalRecovery {

  /** Relative slack (of a row's scale) within which a row counts as met. */
  static final double ROW_TOLERANCE = 1e-7;

  /** The chosen plan. */
  record Plan(int[] choice, double profit, double[] rowActivity, boolean feasible) {}

  private final List<ArticleCandidates> candidates;
  private final double[] rhs;
  private final double[] scale;
  private final int mipLimit;
  private final double seconds;

  /**
   * @param mipLimit most candidate paths in all for the MIP; above it the LP relaxation is rounded
   * @param seconds time limit of each MIP solve
   */
  PrimalRecovery(List<ArticleCandidates> candidates, double[] rhs, int mipLimit, double seconds) {
    this.candidates = candidates;
    this.rhs = rhs.clone();
    this.mipLimit = mipLimit;
    this.seconds = seconds;
    this.scale = new double[rhs.length];
    for (int i = 0; i < rhs.length; i++) {
      scale[i] = Math.max(1, Math.abs(rhs[i]));
    }
    for (ArticleCandidates a : candidates) {
      if (a.profit().length == 0) {
        throw new IllegalArgumentException("Cannot recover a plan: article %s has no cached path".formatted(a.key()));
      }
      for (int j = 0; j < a.rows().length; j++) {
        double most = 0;
        for (double[] g : a.activity()) {
          most = Math.max(most, Math.abs(g[j]));
        }
        scale[a.rows()[j]] += most;
      }
    }
  }

  /** Row scales: |rhs| plus Σ over articles of the largest |g| of their cached paths. */
  double[] scale() {
    return scale.clone();
  }

  Plan recover() {
    int total = 0;
    for (ArticleCandidates a : candidates) {
      total += a.profit().length;
    }
    int[] choice = null;
    if (total <= mipLimit) {
      choice = solveMip(-1);
      if (choice == null) {
        double least = leastViolation();
        if (!Double.isNaN(least)) {
          choice = solveMip(least);
        }
      }
    }
    if (choice == null) {
      choice = roundAndRepair();
    }
    return plan(choice);
  }

  Plan plan(int[] choice) {
    double profit = 0;
    double[] activity = new double[rhs.length];
    for (int a = 0; a < choice.length; a++) {
      ArticleCandidates c = candidates.get(a);
      profit += c.profit()[choice[a]];
      double[] g = c.activity()[choice[a]];
      for (int j = 0; j < c.rows().length; j++) {
        activity[c.rows()[j]] += g[j];
      }
    }
    return new Plan(choice, profit, activity, violation(activity) == 0);
  }

  /** Σ over rows of the scaled excess beyond the tolerance; 0 when every row is met. */
  double violation(double[] activity) {
    double total = 0;
    for (int i = 0; i < rhs.length; i++) {
      double excess = activity[i] - rhs[i];
      if (excess > ROW_TOLERANCE * scale[i]) {
        total += excess / scale[i];
      }
    }
    return total;
  }

  // --- MIP --------------------------------------------------------------------------------------

  /**
   * Best-profit selection. With {@code allowedViolation < 0} every row must hold; otherwise rows may
   * be exceeded by slacks whose scaled sum is at most {@code allowedViolation}. Null when SCIP finds
   * no selection in time.
   */
  private int[] solveMip(double allowedViolation) {
    MPSolver solver = MPSolver.createSolver("SCIP");
    if (solver == null) {
      return null;
    }
    try {
      MPVariable[][] y = build(solver, true, allowedViolation >= 0, allowedViolation);
      MPObjective objective = solver.objective();
      for (int a = 0; a < y.length; a++) {
        for (int j = 0; j < y[a].length; j++) {
          objective.setCoefficient(y[a][j], candidates.get(a).profit()[j]);
        }
      }
      objective.setMaximization();
      solver.setTimeLimit((long) (seconds * 1000));
      MPSolver.ResultStatus status = solver.solve();
      if (status != MPSolver.ResultStatus.OPTIMAL && status != MPSolver.ResultStatus.FEASIBLE) {
        return null;
      }
      return pick(y);
    } finally {
      solver.delete();
    }
  }

  /** Least total scaled violation any selection reaches (SCIP), NaN when it finds none in time. */
  private double leastViolation() {
    MPSolver solver = MPSolver.createSolver("SCIP");
    if (solver == null) {
      return Double.NaN;
    }
    try {
      build(solver, true, true, Double.POSITIVE_INFINITY);
      MPObjective objective = solver.objective();
      for (int i = 0; i < rhs.length; i++) {
        objective.setCoefficient(solver.lookupVariableOrNull("slack" + i), 1 / scale[i]);
      }
      objective.setMinimization();
      solver.setTimeLimit((long) (seconds * 1000));
      MPSolver.ResultStatus status = solver.solve();
      if (status != MPSolver.ResultStatus.OPTIMAL && status != MPSolver.ResultStatus.FEASIBLE) {
        return Double.NaN;
      }
      return objective.value() * (1 + 1e-6) + 1e-9;
    } finally {
      solver.delete();
    }
  }

  private MPVariable[][] build(MPSolver solver, boolean integer, boolean slack, double allowedViolation) {
    MPVariable[][] y = new MPVariable[candidates.size()][];
    MPConstraint[] rows = new MPConstraint[rhs.length];
    for (int i = 0; i < rhs.length; i++) {
      rows[i] = solver.makeConstraint(-MPSolver.infinity(), rhs[i], "row" + i);
    }
    MPConstraint budget = null;
    if (slack) {
      budget = Double.isInfinite(allowedViolation) ? null : solver.makeConstraint(-MPSolver.infinity(), allowedViolation, "violation");
      for (int i = 0; i < rhs.length; i++) {
        MPVariable s = solver.makeNumVar(0, MPSolver.infinity(), "slack" + i);
        rows[i].setCoefficient(s, -1);
        if (budget != null) {
          budget.setCoefficient(s, 1 / scale[i]);
        }
      }
    }
    for (int a = 0; a < y.length; a++) {
      ArticleCandidates c = candidates.get(a);
      int n = c.profit().length;
      y[a] = new MPVariable[n];
      MPConstraint one = solver.makeConstraint(1, 1, "one" + a);
      for (int j = 0; j < n; j++) {
        y[a][j] = integer ? solver.makeBoolVar("y" + a + "_" + j) : solver.makeNumVar(0, 1, "y" + a + "_" + j);
        one.setCoefficient(y[a][j], 1);
        double[] g = c.activity()[j];
        for (int r = 0; r < c.rows().length; r++) {
          if (g[r] != 0) {
            rows[c.rows()[r]].setCoefficient(y[a][j], g[r]);
          }
        }
      }
    }
    return y;
  }

  private static int[] pick(MPVariable[][] y) {
    int[] choice = new int[y.length];
    for (int a = 0; a < y.length; a++) {
      double most = -1;
      for (int j = 0; j < y[a].length; j++) {
        double v = y[a][j].solutionValue();
        if (v > most) {
          most = v;
          choice[a] = j;
        }
      }
    }
    return choice;
  }

  // --- LP relaxation, rounding and repair -------------------------------------------------------

  /** Rounds the LP relaxation (or, without one, the most profitable paths) and repairs it greedily. */
  int[] roundAndRepair() {
    int[] choice = null;
    MPSolver solver = MPSolver.createSolver("GLOP");
    if (solver != null) {
      try {
        MPVariable[][] y = build(solver, false, true, Double.POSITIVE_INFINITY);
        MPObjective objective = solver.objective();
        double penalty = 0;
        for (ArticleCandidates c : candidates) {
          penalty += Arrays.stream(c.profit()).map(Math::abs).max().orElse(0);
        }
        penalty = 10 * penalty + 1;
        for (int a = 0; a < y.length; a++) {
          for (int j = 0; j < y[a].length; j++) {
            objective.setCoefficient(y[a][j], candidates.get(a).profit()[j]);
          }
        }
        for (int i = 0; i < rhs.length; i++) {
          objective.setCoefficient(solver.lookupVariableOrNull("slack" + i), -penalty / scale[i]);
        }
        objective.setMaximization();
        if (solver.solve() == MPSolver.ResultStatus.OPTIMAL) {
          choice = pick(y);
        }
      } finally {
        solver.delete();
      }
    }
    if (choice == null) {
      choice = new int[candidates.size()];
      for (int a = 0; a < choice.length; a++) {
        choice[a] = argmax(candidates.get(a).profit());
      }
    }
    repair(choice);
    improve(choice);
    return choice;
  }

  /**
   * Greedy rounds: rank every single-article move that cuts the total violation by profit given up
   * per unit of violation removed, and apply them in that order while they still help.
   */
  private void repair(int[] choice) {
    double[] activity = plan(choice).rowActivity();
    double violation = violation(activity);
    for (int round = 0; round < 100 && violation > 0; round++) {
      List<double[]> moves = new ArrayList<>();
      for (int a = 0; a < choice.length; a++) {
        ArticleCandidates c = candidates.get(a);
        for (int j = 0; j < c.profit().length; j++) {
          if (j != choice[a]) {
            double reduction = violation - violationAfter(activity, c, choice[a], j);
            if (reduction > 1e-15) {
              moves.add(new double[] {(c.profit()[choice[a]] - c.profit()[j]) / reduction, a, j});
            }
          }
        }
      }
      moves.sort((x, y) -> Double.compare(x[0], y[0]));
      boolean applied = false;
      boolean[] touched = new boolean[choice.length];
      for (double[] m : moves) {
        int a = (int) m[1];
        int j = (int) m[2];
        if (touched[a]) {
          continue;
        }
        ArticleCandidates c = candidates.get(a);
        double after = violationAfter(activity, c, choice[a], j);
        if (after < violation - 1e-15) {
          move(activity, c, choice[a], j);
          choice[a] = j;
          touched[a] = true;
          violation = after;
          applied = true;
          if (violation == 0) {
            break;
          }
        }
      }
      if (!applied) {
        return;
      }
    }
  }

  /** Moves to more profitable paths that keep the total violation from growing. */
  private void improve(int[] choice) {
    double[] activity = plan(choice).rowActivity();
    boolean moved = true;
    while (moved) {
      moved = false;
      double violation = violation(activity);
      for (int a = 0; a < choice.length; a++) {
        ArticleCandidates c = candidates.get(a);
        int best = choice[a];
        for (int j = 0; j < c.profit().length; j++) {
          if (c.profit()[j] > c.profit()[best] && violationAfter(activity, c, choice[a], j) <= violation) {
            best = j;
          }
        }
        if (best != choice[a]) {
          move(activity, c, choice[a], best);
          choice[a] = best;
          violation = violation(activity);
          moved = true;
        }
      }
    }
  }

  private double violationAfter(double[] activity, ArticleCandidates c, int from, int to) {
    double[] copy = activity.clone();
    move(copy, c, from, to);
    return violation(copy);
  }

  private static void move(double[] activity, ArticleCandidates c, int from, int to) {
    for (int r = 0; r < c.rows().length; r++) {
      activity[c.rows()[r]] += c.activity()[to][r] - c.activity()[from][r];
    }
  }

  private static int argmax(double[] values) {
    int best = 0;
    for (int j = 1; j < values.length; j++) {
      if (values[j] > values[best]) {
        best = j;
      }
    }
    return best;
  }
}
