package io.pricepath.optimizer.exact;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole multi-article problem as one path-selection MIP, solved by SCIP: every admissible
 * discount path of every article is enumerated by brute force (every level sequence, checked
 * against the article's rules), evaluated, and SCIP chooses one per article under the coupling
 * rows (hard rows as constraints, soft rows with a slack paid at their penalty). Exact for the
 * whole problem, and it scales to a few hundred articles when the horizon and ladder are short
 * (every article must have at most {@link #MAX_SEQUENCES} level sequences).
 */
public final class PathMip {

  /** Most level sequences ({@code levels^weeks}) an article may have. */
  public static final int MAX_SEQUENCES = 1 << 16;

  private static boolean loaded;

  private PathMip() {}

  /**
   * Maximises total profit less soft rows' penalties over {@code articles} subject to their rules
   * and to {@code rows}, within {@code timeLimitSeconds}. The result's objective includes the
   * penalties paid.
   *
   * @throws IllegalArgumentException when two articles share a key, or an article has more than
   *     {@link #MAX_SEQUENCES} level sequences
   */
  public static ExactResult solve(List<ArticleProblem> articles, List<CouplingRow> rows, double timeLimitSeconds) {
    load();
    MPSolver solver = MPSolver.createSolver("SCIP");
    if (solver == null) {
      throw new IllegalStateException("Cannot build the path MIP: OR-Tools has no SCIP solver");
    }
    try {
      solver.setSolverSpecificParametersAsString("numerics/feastol = 1e-9\n");
      MPObjective objective = solver.objective();
      MPConstraint[] coupling = new MPConstraint[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        CouplingRow row = rows.get(i);
        coupling[i] = solver.makeConstraint(-MPSolver.infinity(), row.rhs(), "row" + i);
        if (row.isSoft()) {
          MPVariable slack = solver.makeNumVar(0, MPSolver.infinity(), "slack" + i);
          coupling[i].setCoefficient(slack, -1);
          objective.setCoefficient(slack, -row.penalty());
        }
      }
      Set<String> keys = new HashSet<>();
      List<List<int[]>> paths = new ArrayList<>();
      List<MPVariable[]> choice = new ArrayList<>();
      for (int a = 0; a < articles.size(); a++) {
        ArticleProblem p = articles.get(a);
        if (!keys.add(p.key())) {
          throw new IllegalArgumentException(
              "Cannot build the path MIP: article key %s appears twice; keys must be unique".formatted(p.key()));
        }
        List<int[]> admissible = admissiblePaths(p);
        paths.add(admissible);
        MPVariable[] y = new MPVariable[admissible.size()];
        MPConstraint one = solver.makeConstraint(1, 1, "one" + a);
        for (int j = 0; j < y.length; j++) {
          PathSummary s = ArticleSolver.summarize(p, admissible.get(j));
          y[j] = solver.makeBoolVar("y" + a + "_" + j);
          one.setCoefficient(y[j], 1);
          objective.setCoefficient(y[j], s.profit());
          for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).appliesTo(p)) {
              double g = rows.get(i).contribution(p, s);
              if (g != 0) {
                coupling[i].setCoefficient(y[j], g);
              }
            }
          }
        }
        choice.add(y);
      }
      objective.setMaximization();
      solver.setTimeLimit((long) (timeLimitSeconds * 1000));
      MPSolver.ResultStatus status = solver.solve(gapParameters());
      boolean found = status == MPSolver.ResultStatus.OPTIMAL || status == MPSolver.ResultStatus.FEASIBLE;
      Map<String, int[]> levels = new HashMap<>();
      if (found) {
        for (int a = 0; a < articles.size(); a++) {
          MPVariable[] y = choice.get(a);
          int best = 0;
          for (int j = 1; j < y.length; j++) {
            if (y[j].solutionValue() > y[best].solutionValue()) {
              best = j;
            }
          }
          levels.put(articles.get(a).key(), paths.get(a).get(best).clone());
        }
      }
      return new ExactResult(
          found ? objective.value() : Double.NaN,
          found ? objective.bestBound() : Double.NaN,
          status == MPSolver.ResultStatus.OPTIMAL,
          status.name(),
          Map.copyOf(levels));
    } finally {
      solver.delete();
    }
  }

  /** Every admissible path of {@code p}, by brute force over all level sequences. */
  public static List<int[]> admissiblePaths(ArticleProblem p) {
    int weeks = p.weeks();
    int levels = p.levels();
    double sequences = Math.pow(levels, weeks);
    if (sequences > MAX_SEQUENCES) {
      throw new IllegalArgumentException(
          "Cannot enumerate paths of %s: %d levels over %d weeks make more than %d sequences (%.0f)"
              .formatted(p.key(), levels, weeks, MAX_SEQUENCES, sequences));
    }
    List<int[]> admissible = new ArrayList<>();
    int[] path = new int[weeks];
    for (int n = 0; n < (int) sequences; n++) {
      int x = n;
      for (int t = 0; t < weeks; t++) {
        path[t] = x % levels;
        x /= levels;
      }
      if (ArticleSolver.admissible(p, path)) {
        admissible.add(path.clone());
      }
    }
    return admissible;
  }

  private static synchronized void load() {
    if (!loaded) {
      Loader.loadNativeLibraries();
      loaded = true;
    }
  }

  /** SCIP stops at OR-Tools' default relative gap of 1e-4 unless told otherwise. */
  private static com.google.ortools.linearsolver.MPSolverParameters gapParameters() {
    com.google.ortools.linearsolver.MPSolverParameters parameters = new com.google.ortools.linearsolver.MPSolverParameters();
    parameters.setDoubleParam(com.google.ortools.linearsolver.MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 1e-9);
    return parameters;
  }
}
