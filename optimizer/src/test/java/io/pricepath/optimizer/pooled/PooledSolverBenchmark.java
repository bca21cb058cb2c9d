package io.pricepath.optimizer.pooled;

import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * Times pooled-article solves (12 weeks × 8 levels, markdown-only, at most 2 steps a week and 4
 * changes, a pool that binds, mild coupling weights) for a number of markets; not part of the test
 * suite. Arguments: {@code markets articles cover} (defaults: 3 and 10 markets, 50 articles each,
 * pool cover 0.6 of the markets' demand at full price). Prints the mean and worst time per article
 * solve, how many were proved optimal and how much the pool binds (the plan's value against every
 * market solved alone on unlimited stock), and, as a reference for the machine's speed, single-market
 * solves per second on the same markets.
 *
 * <pre>
 * java -cp optimizer/target/test-classes:optimizer/target/classes:CLASSPATH io.pricepath.optimizer.pooled.PooledSolverBenchmark
 * </pre>
 */
public final class PooledSolverBenchmark {

  private PooledSolverBenchmark() {}

  public static void main(String[] args) {
    if (args.length > 0) {
      run(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Double.parseDouble(args[2]));
    } else {
      run(3, 50, 0.6);
      run(10, 50, 0.6);
    }
  }

  private static void run(int markets, int articles, double cover) {
    PooledProblems gen = new PooledProblems(7);
    List<PooledArticleProblem> problems = new ArrayList<>();
    List<CouplingWeights[]> weights = new ArrayList<>();
    for (int i = 0; i < articles; i++) {
      double c = cover * (0.7 + 0.6 * gen.random().random().nextDouble());
      problems.add(gen.article("a" + i, markets, 12, 8, c, PooledProblems.markdown(12, 8, 2, 4)));
      weights.add(gen.mildWeights(markets, 12));
    }
    PooledArticleSolver solver = new PooledArticleSolver();
    // warm-up: every article once
    for (int i = 0; i < articles; i++) {
      solver.solve(problems.get(i), weights.get(i));
    }
    long total = 0;
    long worst = 0;
    int exact = 0;
    long solves = 0;
    double binding = 0;
    ArticleSolver alone = new ArticleSolver();
    for (int i = 0; i < articles; i++) {
      PooledArticleProblem p = problems.get(i);
      long start = System.nanoTime();
      List<PathSummary> solved = solver.solve(p, weights.get(i));
      long took = System.nanoTime() - start;
      total += took;
      worst = Math.max(worst, took);
      solves += solver.lastSolves();
      if (solver.lastExact()) {
        exact++;
      }
      double value = PooledArticleSolver.objective(p, weights.get(i), solved);
      PooledArticleProblem unlimited = PooledArticleProblem.sharing(p.markets(), Double.POSITIVE_INFINITY, 0);
      double free = 0;
      for (int m = 0; m < markets; m++) {
        free += ArticleSolver.objective(unlimited.markets().get(m), weights.get(i)[m],
            alone.solve(unlimited.markets().get(m), weights.get(i)[m]));
      }
      binding += value / free;
    }
    long start = System.nanoTime();
    long reference = 0;
    while (System.nanoTime() - start < 1_000_000_000L) {
      PooledArticleProblem p = problems.get((int) (reference % articles));
      int m = (int) ((reference / articles) % markets);
      alone.solve(p.markets().get(m), weights.get((int) (reference % articles))[m]);
      reference++;
    }
    double perSecond = reference / ((System.nanoTime() - start) / 1e9);
    System.out.printf(
        "pooled solve, %d markets × 12 weeks × 8 levels, %d articles: mean %.1f ms, max %.1f ms per article, proven optimal %d/%d,"
            + " mean %d single-market solves per article, plan worth %.1f %% of the markets on unlimited stock;"
            + " reference: %.0f single-market solves/s (each market on its attributed share)%n",
        markets, articles, total / 1e6 / articles, worst / 1e6, exact, articles, solves / articles, 100 * binding / articles, perSecond);
  }
}
