package io.pricepath.optimizer.pooled;

import io.pricepath.optimizer.article.CouplingWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * Times pooled-article solves (12 weeks × 8 levels, markdown-only, at most 2 steps a week and 4
 * changes, binding pool, mild coupling weights) for a number of markets; not part of the test
 * suite. Arguments: {@code markets articles nodeBudget cover} (defaults: 3 and 10 markets, 20
 * articles, no budget for 3 markets and 200,000 nodes for 10, pool cover 0.6 of the demand at
 * full price).
 *
 * <pre>
 * java -cp optimizer/target/test-classes:optimizer/target/classes:CLASSPATH io.pricepath.optimizer.pooled.PooledSolverBenchmark
 * </pre>
 */
public final class PooledSolverBenchmark {

  private PooledSolverBenchmark() {}

  public static void main(String[] args) {
    if (args.length > 0) {
      run(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]), Double.parseDouble(args[3]));
    } else {
      run(3, 20, Long.MAX_VALUE, 0.6);
      run(10, 20, 200_000, 0.6);
    }
  }

  private static void run(int markets, int articles, long budget, double cover) {
    PooledProblems gen = new PooledProblems(7);
    List<PooledArticleProblem> problems = new ArrayList<>();
    List<CouplingWeights[]> weights = new ArrayList<>();
    for (int i = 0; i < articles; i++) {
      double c = cover * (0.7 + 0.6 * gen.random().random().nextDouble());
      problems.add(gen.article("a" + i, markets, 12, 8, c, PooledProblems.markdown(12, 8, 2, 4)));
      weights.add(gen.mildWeights(markets, 12));
    }
    PooledArticleSolver solver = budget == Long.MAX_VALUE ? new PooledArticleSolver() : PooledArticleSolver.withNodeBudget(budget);
    // warm-up on the first articles
    for (int i = 0; i < Math.min(5, articles); i++) {
      solver.solve(problems.get(i), weights.get(i));
    }
    long total = 0;
    long worst = 0;
    int exact = 0;
    double worstGap = 0;
    double sumGap = 0;
    long nodes = 0;
    for (int i = 0; i < articles; i++) {
      long start = System.nanoTime();
      var solved = solver.solve(problems.get(i), weights.get(i));
      long took = System.nanoTime() - start;
      total += took;
      worst = Math.max(worst, took);
      nodes += solver.lastNodes();
      double value = PooledArticleSolver.objective(problems.get(i), weights.get(i), solved);
      double gap = (solver.lastUpperBound() - value) / Math.abs(solver.lastUpperBound());
      sumGap += gap;
      worstGap = Math.max(worstGap, gap);
      if (solver.lastExact()) {
        exact++;
      }
    }
    System.out.printf(
        "pooled solve, %d markets × 12 weeks × 8 levels, %d articles, node budget %s: mean %.1f ms, max %.1f ms, mean nodes %d, proven optimal %d/%d, proven gap mean %.3f %% max %.3f %%%n",
        markets, articles, budget == Long.MAX_VALUE ? "none" : Long.toString(budget), total / 1e6 / articles, worst / 1e6,
        nodes / articles, exact, articles, 100 * sumGap / articles, 100 * worstGap);
  }
}
