package io.pricepath.optimizer.lagrangian;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;

/**
 * The cutting-plane master LP of the dual: minimise θ over {@code 0 ≤ λ ≤ cap} inside a box,
 * subject to one cut {@code θ ≥ f + λ·(rhs − G)} per known plan (profit f, row activity G). Every
 * cut is a valid lower estimate of the dual function, so the master value is a lower estimate of
 * its least value in the box. A soft row's cap is its penalty (its multiplier never prices a
 * violation above what the violation costs). Solved with GLOP, cuts added incrementally.
 */
final class CuttingPlaneMaster implements AutoCloseable {

  /**
   * The master's optimum: multipliers, θ, and whether any multiplier sits on a face of the trust
   * box (not on 0 or its cap).
   */
  record Solution(double[] lambda, double value, boolean onBox) {}

  /**
   * Largest multiplier of a hard row: rows no plan can meet drive the dual down without bound, and
   * multipliers this large only price such rows.
   */
  static final double MAX_LAMBDA = 1e6;

  private final double[] rhs;
  private final double[] cap;
  private final MPSolver solver;
  private final MPVariable theta;
  private final MPVariable[] lambda;
  private int cuts;

  /** @param cap per row the largest multiplier ({@link #MAX_LAMBDA} for hard rows) */
  CuttingPlaneMaster(double[] rhs, double[] cap) {
    NativeLibraries.load();
    this.rhs = rhs.clone();
    this.cap = cap.clone();
    this.solver = MPSolver.createSolver("GLOP");
    if (solver == null) {
      throw new IllegalStateException("Cannot create master LP: OR-Tools has no GLOP solver");
    }
    double inf = MPSolver.infinity();
    theta = solver.makeNumVar(-inf, inf, "theta");
    lambda = new MPVariable[rhs.length];
    for (int i = 0; i < rhs.length; i++) {
      lambda[i] = solver.makeNumVar(0, cap[i], "lambda" + i);
    }
    solver.objective().setCoefficient(theta, 1);
    solver.objective().setMinimization();
  }

  /** Adds the cut of a plan with total profit {@code profit} and row activity {@code activity}. */
  void addCut(double profit, double[] activity) {
    MPConstraint cut = solver.makeConstraint(profit, MPSolver.infinity(), "cut" + cuts++);
    cut.setCoefficient(theta, 1);
    for (int i = 0; i < rhs.length; i++) {
      cut.setCoefficient(lambda[i], activity[i] - rhs[i]);
    }
  }

  int cuts() {
    return cuts;
  }

  /**
   * Minimises the model over {@code 0 ≤ λ ≤ cap, |λ − center| ≤ radius}; null when GLOP finds no
   * optimum (numerical trouble).
   */
  Solution solve(double[] center, double[] radius) {
    double[] lo = new double[rhs.length];
    double[] hi = new double[rhs.length];
    for (int i = 0; i < rhs.length; i++) {
      lo[i] = Math.min(cap[i], Math.max(0, center[i] - radius[i]));
      hi[i] = Math.min(cap[i], center[i] + radius[i]);
      lambda[i].setBounds(lo[i], hi[i]);
    }
    MPSolver.ResultStatus status = solver.solve();
    if (status != MPSolver.ResultStatus.OPTIMAL) {
      return null;
    }
    double[] values = new double[rhs.length];
    boolean onBox = false;
    for (int i = 0; i < rhs.length; i++) {
      values[i] = Math.min(cap[i], Math.max(0, lambda[i].solutionValue()));
      double eps = 1e-9 * Math.max(1, hi[i]);
      if ((hi[i] < cap[i] && values[i] >= hi[i] - eps) || (lo[i] > 0 && values[i] <= lo[i] + eps)) {
        onBox = true;
      }
    }
    return new Solution(values, theta.solutionValue(), onBox);
  }

  @Override
  public void close() {
    solver.delete();
  }
}
