package io.pricepath.optimizer.jmh;

import io.pricepath.optimizer.RandomProblems;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.article.Rules;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Throughput of the single-article solver on realistic problems: 12 weeks × 8 ladder levels,
 * markdown-only from the live level with at most 2 steps a week and 4 changes, stock that binds for
 * most articles, returns with 1–3 week lags, residual value and non-zero coupling weights (the
 * prices a decomposition's multipliers put on discount rate, budget and sell-through). One op
 * solves one problem of a fixed set of 1,000, in turn. Not part of the test suite: run {@link
 * #main} (about 30 s), e.g.
 *
 * <pre>
 * mvn -B -o -q -pl optimizer test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp optimizer/target/test-classes:optimizer/target/classes:$(cat optimizer/target/cp.txt) \
 *     io.pricepath.optimizer.jmh.ArticleSolverBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(2)
@Threads(1)
public class ArticleSolverBenchmark {

  static final int PROBLEMS = 1_000;
  static final int WEEKS = 12;
  static final int LEVELS = 8;

  /** The fixed set of problems and their coupling weights, built once per fork. */
  @State(Scope.Benchmark)
  public static class Problems {
    ArticleProblem[] problems;
    CouplingWeights[] weights;

    @Setup(Level.Trial)
    public void build() {
      RandomProblems gen = new RandomProblems(2024);
      problems = new ArticleProblem[PROBLEMS];
      weights = new CouplingWeights[PROBLEMS];
      for (int i = 0; i < PROBLEMS; i++) {
        int live = gen.random().nextInt(3);
        int[] locked = new int[WEEKS];
        Arrays.fill(locked, -1);
        Rules rules = new Rules(live, true, 2, 4, 0, LEVELS - 1, new boolean[WEEKS], WEEKS - 1, locked);
        // 80 % bind: stock 0.5–1.3 of the demand at full price over the horizon
        double cover = gen.random().nextDouble() < 0.8 ? 0.5 + 0.8 * gen.random().nextDouble() : 3.0 * WEEKS;
        problems[i] = gen.article("a" + i, i % 2 == 0 ? "DE" : "FR", "shoes", WEEKS, LEVELS, cover, rules);
        weights[i] = weights(gen);
      }
    }

    /** Coupling weights of the size a converged decomposition puts on an article: rate, budget and sell-through prices. */
    private static CouplingWeights weights(RandomProblems gen) {
      double[] a = new double[WEEKS];
      double[] b = new double[WEEKS];
      double[] c = new double[WEEKS];
      double rateMax = 0.5 * gen.random().nextDouble();
      double rateMin = 0.2 * gen.random().nextDouble();
      double budget = 0.2 * gen.random().nextDouble();
      double sellThrough = 3 * gen.random().nextDouble();
      for (int t = 0; t < WEEKS; t++) {
        // Σ λ_i·(a_i + b_i·d) per row kind: rate<=0.15, rate>=0.05, budget, sell-through
        a[t] = -0.15 * rateMax + 0.05 * rateMin;
        b[t] = rateMax - rateMin + budget;
        c[t] = -sellThrough;
      }
      return new CouplingWeights(a, b, c);
    }
  }

  /** Each thread's solver and its turn through the problems. */
  @State(Scope.Thread)
  public static class Cursor {
    final ArticleSolver solver = new ArticleSolver();
    int next;
  }

  @Benchmark
  public PathSummary solveOne(Problems problems, Cursor cursor) {
    int i = cursor.next;
    cursor.next = i + 1 == PROBLEMS ? 0 : i + 1;
    return cursor.solver.solve(problems.problems[i], problems.weights[i]);
  }

  /** Runs the benchmark with a short configuration: 2 forks × (2 warm-up + 3 measured iterations of 2 s). */
  public static void main(String[] args) throws RunnerException {
    Options options = new OptionsBuilder()
        .include(ArticleSolverBenchmark.class.getName() + "\\.")
        .forks(2)
        .warmupIterations(2)
        .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(2))
        .measurementIterations(3)
        .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(2))
        .threads(1)
        .build();
    new Runner(options).run();
  }
}
