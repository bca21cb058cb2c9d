package io.pricepath.optimizer.lagrangian;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Primal recovery: one listed path per article such that every hard coupling row holds and total
 * profit less the penalties of soft rows' violations is highest. Articles with a single listed
 * path are fixed; the choice among the others (the open articles) is solved as a MIP (SCIP, with a
 * time limit) when they are few and list few enough paths, else by the LP relaxation (GLOP) rounded
 * per article and repaired greedily. When the hard rows cannot all be met with the listed paths, the
 * plan with the least total (row-scaled) violation is returned, most valuable first, marked
 * infeasible.
 */
final class PrimalRecovery {

  /** Relative slack (of a row's scale) within which a row counts as met. */
  static final double ROW_TOLERANCE = 1e-9;

  /**
   * Most open articles for the MIP: with more, the LP relaxation has at most one fractional article
   * per row among many, and rounding it loses next to nothing while SCIP would struggle.
   */
  static final int MIP_ARTICLES = 5_000;

  private static final int IMPROVE_ROUNDS = 50;
  private static final int TIGHTENINGS = 4;
  private static final int REPAIR_ROUNDS = 100;

  /**
   * The chosen plan.
   *
   * @param choice per article, the cache index of the chosen path
   * @param profit total profit
   * @param penaltyPaid Σ over soft rows of penalty × violation
   * @param rowActivity {@code [R]} Σ g per row
   * @param feasible whether every hard row holds (within {@link #ROW_TOLERANCE})
   * @param optimal whether the selection MIP proved the plan best among the listed paths
   */
  record Plan(int[] choice, double profit, double penaltyPaid, double[] rowActivity, boolean feasible, boolean optimal) {
    double value() {
      return profit - penaltyPaid;
    }
  }

  private final List<ArticleCandidates> candidates;
  private final double[] rhs;
  private final double[] penalty;
  private final double[] scale;
  private final int mipLimit;
  private final double seconds;
  private final int[] open;
  private final double[] fixedActivity;
  private double fixedProfit;
  private boolean mipOptimal;

  /**
   * @param penalty per row: NaN for a hard row, else the penalty per unit of violation
   * @param mipLimit most listed paths of open articles for the MIP; above it the LP relaxation is rounded
   * @param seconds time limit of each MIP solve
   */
  PrimalRecovery(List<ArticleCandidates> candidates, double[] rhs, double[] penalty, int mipLimit, double seconds) {
    this.candidates = candidates;
    this.rhs = rhs.clone();
    this.penalty = penalty.clone();
    this.mipLimit = mipLimit;
    this.seconds = seconds;
    this.scale = new double[rhs.length];
    this.fixedActivity = new double[rhs.length];
    for (int i = 0; i < rhs.length; i++) {
      scale[i] = Math.max(1, Math.abs(rhs[i]));
    }
    int openCount = 0;
    for (ArticleCandidates a : candidates) {
      if (a.size() == 0) {
        throw new IllegalArgumentException("Cannot recover a plan: article %s has no cached path".formatted(a.key()));
      }
      int[] rows = a.rows();
      for (int j = 0; j < rows.length; j++) {
        double most = 0;
        for (double[] g : a.activity()) {
          most = Math.max(most, Math.abs(g[j]));
        }
        scale[rows[j]] += most;
      }
      if (a.size() > 1) {
        openCount++;
      } else {
        fixedProfit += a.profit()[0];
        for (int j = 0; j < rows.length; j++) {
          fixedActivity[rows[j]] += a.activity()[0][j];
        }
      }
    }
    this.open = new int[openCount];
    int n = 0;
    for (int a = 0; a < candidates.size(); a++) {
      if (candidates.get(a).size() > 1) {
        open[n++] = a;
      }
    }
  }

  /** Hard rows with one penalty per row. */
  PrimalRecovery(List<ArticleCandidates> candidates, double[] rhs, int mipLimit, double seconds) {
    this(candidates, rhs, nanArray(rhs.length), mipLimit, seconds);
  }

  /** Row scales: |rhs| plus Σ over articles of the largest |g| of their listed paths. */
  double[] scale() {
    return scale.clone();
  }

  Plan recover() {
    long total = 0;
    for (int a : open) {
      total += candidates.get(a).size();
    }
    int[] position = null;
    mipOptimal = false;
    if (total <= mipLimit && open.length <= MIP_ARTICLES) {
      position = solveMip(-1);
      if (position == null && hasHardRows()) {
        double least = leastViolation();
        if (!Double.isNaN(least)) {
          position = solveMip(least);
          mipOptimal = false; // best among the least-violating selections only
        }
      }
    }
    if (position == null) {
      mipOptimal = false;
      position = roundAndRepair();
    }
    return plan(position, mipOptimal);
  }

  /** The plan of positions {@code position} (one per article, into its listed paths). */
  Plan plan(int[] position, boolean optimal) {
    double profit = 0;
    double[] activity = new double[rhs.length];
    int[] choice = new int[position.length];
    for (int a = 0; a < position.length; a++) {
      ArticleCandidates c = candidates.get(a);
      profit += c.profit()[position[a]];
      choice[a] = c.index()[position[a]];
      double[] g = c.activity()[position[a]];
      for (int j = 0; j < c.rows().length; j++) {
        activity[c.rows()[j]] += g[j];
      }
    }
    return new Plan(choice, profit, penaltyPaid(activity), activity, violation(activity) == 0, optimal);
  }

  /** Σ over hard rows of the scaled excess beyond the tolerance; 0 when every hard row is met. */
  double violation(double[] activity) {
    double total = 0;
    for (int i = 0; i < rhs.length; i++) {
      double excess = activity[i] - rhs[i];
      if (Double.isNaN(penalty[i]) && excess > ROW_TOLERANCE * scale[i]) {
        total += excess / scale[i];
      }
    }
    return total;
  }

  /** Σ over soft rows of penalty × excess. */
  double penaltyPaid(double[] activity) {
    double total = 0;
    for (int i = 0; i < rhs.length; i++) {
      if (!Double.isNaN(penalty[i])) {
        total += penalty[i] * Math.max(0, activity[i] - rhs[i]);
      }
    }
    return total;
  }

  private boolean hasHardRows() {
    for (double p : penalty) {
      if (Double.isNaN(p)) {
        return true;
      }
    }
    return false;
  }

  // --- MIP --------------------------------------------------------------------------------------

  /**
   * Most valuable selection. With {@code allowedViolation < 0} every hard row must hold; otherwise
   * hard rows may be exceeded by slacks whose scaled sum is at most {@code allowedViolation}. Null
   * when SCIP finds no selection in time.
   */
  private int[] solveMip(double allowedViolation) {
    MPSolver solver = MPSolver.createSolver("SCIP");
    if (solver == null) {
      return null;
    }
    try {
      Model model = build(solver, true, allowedViolation >= 0, allowedViolation);
      MPObjective objective = solver.objective();
      setValueObjective(model, objective, 0);
      objective.setMaximization();
      solver.setTimeLimit((long) (seconds * 1000));
      MPSolver.ResultStatus status = solver.solve(gapParameters());
      if (status != MPSolver.ResultStatus.OPTIMAL && status != MPSolver.ResultStatus.FEASIBLE) {
        return null;
      }
      mipOptimal = status == MPSolver.ResultStatus.OPTIMAL;
      return pick(model.y);
    } finally {
      solver.delete();
    }
  }

  /** Least total scaled hard-row violation any selection reaches (SCIP), NaN when it finds none in time. */
  private double leastViolation() {
    MPSolver solver = MPSolver.createSolver("SCIP");
    if (solver == null) {
      return Double.NaN;
    }
    try {
      Model model = build(solver, true, true, Double.POSITIVE_INFINITY);
      MPObjective objective = solver.objective();
      for (int i = 0; i < rhs.length; i++) {
        if (Double.isNaN(penalty[i])) {
          objective.setCoefficient(model.slack[i], 1 / scale[i]);
        }
      }
      objective.setMinimization();
      solver.setTimeLimit((long) (seconds * 1000));
      MPSolver.ResultStatus status = solver.solve(gapParameters());
      if (status != MPSolver.ResultStatus.OPTIMAL && status != MPSolver.ResultStatus.FEASIBLE) {
        return Double.NaN;
      }
      return objective.value() * (1 + 1e-6) + 1e-9;
    } finally {
      solver.delete();
    }
  }

  private record Model(MPVariable[][] y, MPVariable[] slack, MPConstraint[] rows) {}

  /**
   * Variables y per open article and listed path, one per article; every row over the open
   * articles with the fixed ones' activity moved to the right-hand side; a slack per soft row, and
   * per hard row when {@code hardSlack} (their scaled sum at most {@code allowedViolation} when
   * finite).
   */
  private Model build(MPSolver solver, boolean integer, boolean hardSlack, double allowedViolation) {
    MPVariable[][] y = new MPVariable[open.length][];
    MPVariable[] slack = new MPVariable[rhs.length];
    MPConstraint[] rows = new MPConstraint[rhs.length];
    for (int i = 0; i < rhs.length; i++) {
      rows[i] = solver.makeConstraint(-MPSolver.infinity(), rhs[i] - fixedActivity[i], "row" + i);
    }
    MPConstraint budget = hardSlack && !Double.isInfinite(allowedViolation)
        ? solver.makeConstraint(-MPSolver.infinity(), allowedViolation, "violation") : null;
    for (int i = 0; i < rhs.length; i++) {
      boolean hard = Double.isNaN(penalty[i]);
      if (!hard || hardSlack) {
        slack[i] = solver.makeNumVar(0, MPSolver.infinity(), "slack" + i);
        rows[i].setCoefficient(slack[i], -1);
        if (hard && budget != null) {
          budget.setCoefficient(slack[i], 1 / scale[i]);
        }
      }
    }
    for (int o = 0; o < open.length; o++) {
      ArticleCandidates c = candidates.get(open[o]);
      int n = c.size();
      y[o] = new MPVariable[n];
      MPConstraint one = solver.makeConstraint(1, 1, "one" + o);
      for (int j = 0; j < n; j++) {
        y[o][j] = integer ? solver.makeBoolVar("y" + o + "_" + j) : solver.makeNumVar(0, 1, "y" + o + "_" + j);
        one.setCoefficient(y[o][j], 1);
        double[] g = c.activity()[j];
        for (int r = 0; r < c.rows().length; r++) {
          if (g[r] != 0) {
            rows[c.rows()[r]].setCoefficient(y[o][j], g[r]);
          }
        }
      }
    }
    return new Model(y, slack, rows);
  }

  /** Profit of the open articles less soft penalties, less {@code hardPenalty}/scale per unit of hard slack. */
  private void setValueObjective(Model model, MPObjective objective, double hardPenalty) {
    for (int o = 0; o < open.length; o++) {
      for (int j = 0; j < model.y[o].length; j++) {
        objective.setCoefficient(model.y[o][j], candidates.get(open[o]).profit()[j]);
      }
    }
    for (int i = 0; i < rhs.length; i++) {
      if (model.slack[i] != null) {
        objective.setCoefficient(model.slack[i], Double.isNaN(penalty[i]) ? -hardPenalty / scale[i] : -penalty[i]);
      }
    }
  }

  /** Positions for every article: the chosen open paths, 0 for the fixed articles. */
  private int[] pick(MPVariable[][] y) {
    int[] position = new int[candidates.size()];
    for (int o = 0; o < open.length; o++) {
      double most = -1;
      for (int j = 0; j < y[o].length; j++) {
        double v = y[o][j].solutionValue();
        if (v > most) {
          most = v;
          position[open[o]] = j;
        }
      }
    }
    return position;
  }

  // --- LP relaxation, rounding and repair -------------------------------------------------------

  /**
   * Rounds the LP relaxation (or, without one, the most profitable paths) and repairs it greedily.
   * The LP's basic optimum has at most one fractional article per row; when rounding them leaves a
   * hard row the repair cannot mend, the LP is solved again with the hard rows tightened by the
   * fractional articles' ranges (and the excess left), a few times.
   */
  int[] roundAndRepair() {
    int[] best = null;
    double bestViolation = Double.POSITIVE_INFINITY;
    double bestValue = Double.NEGATIVE_INFINITY;
    double[] margin = new double[rhs.length];
    MPSolver solver = MPSolver.createSolver("GLOP");
    try {
      Model model = null;
      if (solver != null) {
        model = build(solver, false, true, Double.POSITIVE_INFINITY);
        double hardPenalty = 0;
        for (int a : open) {
          hardPenalty += Arrays.stream(candidates.get(a).profit()).map(Math::abs).max().orElse(0);
        }
        MPObjective objective = solver.objective();
        setValueObjective(model, objective, 10 * hardPenalty + 1);
        objective.setMaximization();
      }
      for (int attempt = 0; attempt < TIGHTENINGS; attempt++) {
        int[] position = null;
        boolean[] fractional = new boolean[candidates.size()];
        if (model != null) {
          for (int i = 0; i < rhs.length; i++) {
            model.rows[i].setUb(rhs[i] - fixedActivity[i] - margin[i]);
          }
          if (solver.solve() == MPSolver.ResultStatus.OPTIMAL) {
            position = pick(model.y);
            for (int o = 0; o < open.length; o++) {
              fractional[open[o]] = model.y[o][position[open[o]]].solutionValue() < 1 - 1e-9;
            }
          }
        }
        if (position == null) {
          position = new int[candidates.size()];
          for (int a : open) {
            position[a] = argmax(candidates.get(a).profit());
          }
        }
        double[] activity = activity(position);
        repair(position, activity);
        improve(position, activity);
        double violation = violation(activity);
        double value = plan(position, false).value();
        if (violation < bestViolation || (violation == bestViolation && value > bestValue)) {
          best = position;
          bestViolation = violation;
          bestValue = value;
        }
        if (violation == 0 || model == null) {
          break;
        }
        for (int a : open) {
          if (fractional[a]) {
            ArticleCandidates c = candidates.get(a);
            for (int r = 0; r < c.rows().length; r++) {
              double lo = Double.POSITIVE_INFINITY;
              double hi = Double.NEGATIVE_INFINITY;
              for (double[] g : c.activity()) {
                lo = Math.min(lo, g[r]);
                hi = Math.max(hi, g[r]);
              }
              margin[c.rows()[r]] += hi - lo;
            }
          }
        }
        for (int i = 0; i < rhs.length; i++) {
          if (Double.isNaN(penalty[i])) {
            margin[i] += Math.max(0, activity[i] - rhs[i]);
          } else {
            margin[i] = 0;
          }
        }
      }
    } finally {
      if (solver != null) {
        solver.delete();
      }
    }
    return best;
  }

  private double[] activity(int[] position) {
    double[] activity = fixedActivity.clone();
    for (int a : open) {
      ArticleCandidates c = candidates.get(a);
      double[] g = c.activity()[position[a]];
      for (int j = 0; j < c.rows().length; j++) {
        activity[c.rows()[j]] += g[j];
      }
    }
    return activity;
  }

  /**
   * Greedy rounds: rank every single-article move that cuts the total hard violation by value
   * given up per unit of violation removed, and apply them in that order while they still help.
   */
  private void repair(int[] position, double[] activity) {
    double violation = violation(activity);
    for (int round = 0; round < REPAIR_ROUNDS && violation > 0; round++) {
      List<double[]> moves = new ArrayList<>();
      double paid = penaltyPaid(activity);
      for (int a : open) {
        ArticleCandidates c = candidates.get(a);
        for (int j = 0; j < c.size(); j++) {
          if (j != position[a]) {
            double[] after = moved(activity, c, position[a], j);
            double reduction = violation - violation(after);
            if (reduction > 1e-15) {
              double loss = c.profit()[position[a]] - c.profit()[j] + penaltyPaid(after) - paid;
              moves.add(new double[] {loss / reduction, a, j});
            }
          }
        }
      }
      moves.sort((x, y) -> Double.compare(x[0], y[0]));
      boolean applied = false;
      boolean[] touched = new boolean[candidates.size()];
      for (double[] m : moves) {
        int a = (int) m[1];
        int j = (int) m[2];
        if (touched[a]) {
          continue;
        }
        ArticleCandidates c = candidates.get(a);
        double after = violation(moved(activity, c, position[a], j));
        if (after < violation - 1e-15) {
          move(activity, c, position[a], j);
          position[a] = j;
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

  /** Moves to more valuable paths that keep the total hard violation from growing. */
  private void improve(int[] position, double[] activity) {
    boolean moved = true;
    for (int round = 0; round < IMPROVE_ROUNDS && moved; round++) {
      moved = false;
      for (int a : open) {
        double violation = violation(activity);
        double paid = penaltyPaid(activity);
        ArticleCandidates c = candidates.get(a);
        int best = position[a];
        double bestGain = 1e-9 * Math.max(1, Math.abs(c.profit()[best]));
        for (int j = 0; j < c.size(); j++) {
          if (j == position[a]) {
            continue;
          }
          double[] after = moved(activity, c, position[a], j);
          double gain = c.profit()[j] - c.profit()[position[a]] - (penaltyPaid(after) - paid);
          if (gain > bestGain && violation(after) <= violation) {
            best = j;
            bestGain = gain;
          }
        }
        if (best != position[a]) {
          move(activity, c, position[a], best);
          position[a] = best;
          moved = true;
        }
      }
    }
  }

  private static double[] moved(double[] activity, ArticleCandidates c, int from, int to) {
    double[] copy = activity.clone();
    move(copy, c, from, to);
    return copy;
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

  private static double[] nanArray(int n) {
    double[] values = new double[n];
    Arrays.fill(values, Double.NaN);
    return values;
  }

  /** SCIP stops at OR-Tools' default relative gap of 1e-4 unless told otherwise. */
  private static com.google.ortools.linearsolver.MPSolverParameters gapParameters() {
    com.google.ortools.linearsolver.MPSolverParameters parameters = new com.google.ortools.linearsolver.MPSolverParameters();
    parameters.setDoubleParam(com.google.ortools.linearsolver.MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 1e-8);
    return parameters;
  }
}
