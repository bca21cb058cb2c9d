package io.pricepath.optimizer.bench;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.PathSummary;
import io.pricepath.optimizer.lagrangian.ArticleCandidates;
import io.pricepath.optimizer.lagrangian.ArticleEvaluation;
import io.pricepath.optimizer.lagrangian.ArticlePool;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import io.pricepath.optimizer.lagrangian.DecompositionResult;
import io.pricepath.optimizer.lagrangian.DecompositionSettings;
import io.pricepath.optimizer.lagrangian.LagrangianDecomposition;
import io.pricepath.optimizer.lagrangian.LocalArticlePool;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The full decomposition at scale on this machine: {@code articles} realistic random articles
 * ({@link ScaleArticles}: 12 weeks × 8 discount levels) spread over {@code markets} markets, four
 * coupling targets per market (discount rate at most and at least, a markdown budget, a
 * sell-through minimum, calibrated on a sample of the plan without targets so that they bind),
 * solved by {@link LocalArticlePool} on every core.
 *
 * <pre>
 * mvn -B -o -q -pl optimizer dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx18g -cp $(cat /tmp/cp.txt):optimizer/target/classes:optimizer/target/test-classes \
 *   io.pricepath.optimizer.bench.DecompositionScaleBenchmark 1000000 2 10
 * </pre>
 *
 * Prints every outer iteration (dual, best dual, master value, heuristic cuts, time), then the
 * primal objective, dual bound, gap, every row's outcome, single-article solves per second per
 * core (inside the pool's full evaluations, and on one thread alone) and the peak heap.
 */
public final class DecompositionScaleBenchmark {

  private static final int WEEKS = 12;
  private static final int LEVELS = 8;
  private static final int CALIBRATION_SAMPLE = 20_000;

  private DecompositionScaleBenchmark() {}

  /** Args: articles (default 1,000,000), markets (2), iterations (10), gap tolerance (0.001). */
  public static void main(String[] args) {
    int articles = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int markets = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    double tolerance = args.length > 3 ? Double.parseDouble(args[3]) : 1e-3;
    int cores = Runtime.getRuntime().availableProcessors();
    HeapSampler heap = new HeapSampler();
    heap.start();

    long start = System.nanoTime();
    ScaleArticles gen = new ScaleArticles(WEEKS, LEVELS, 2024);
    List<ArticleProblem> problems = new ArrayList<>(articles);
    for (int i = 0; i < articles; i++) {
      problems.add(gen.article(i, "M" + (i % markets), "c" + (i / markets % 4)));
    }
    List<CouplingRow> rows = calibrate(problems, markets);
    System.out.printf(Locale.ROOT, "%,d articles x %d weeks x %d levels, %d markets, %d coupling rows, %d cores; generated in %.1f s%n",
        articles, WEEKS, LEVELS, markets, rows.size(), cores, (System.nanoTime() - start) / 1e9);
    for (CouplingRow row : rows) {
      System.out.printf(Locale.ROOT, "  row %-28s target %,.4f%n", row.name(), row.target());
    }

    TimedPool pool = new TimedPool(new LocalArticlePool(problems, rows));
    DecompositionSettings settings = new DecompositionSettings(iterations, tolerance, 50);
    long solveStart = System.nanoTime();
    DecompositionResult result = LagrangianDecomposition.solve(pool, rows, settings, it -> System.out.printf(Locale.ROOT,
        "iteration %2d: dual %,.2f  best dual %,.2f  master %s  heuristic cuts %2d  %,.1f s%n", it.index(), it.dualValue(),
        it.bestDual(), Double.isNaN(it.masterValue()) ? "(probe/recovery)" : "%,.2f".formatted(it.masterValue()),
        it.heuristicCuts(), it.millis() / 1e3));
    double total = (System.nanoTime() - solveStart) / 1e9;

    System.out.printf(Locale.ROOT, "primal %,.2f  dual bound %,.2f  gap %.5f %%  after %d outer iterations, %.1f s in all%n",
        result.primalObjective(), result.dualBound(), 100 * result.gap(), result.iterations().size(), total);
    System.out.println("outcome: " + result.summary());
    for (DecompositionResult.RowOutcome row : result.rows()) {
      System.out.printf(Locale.ROOT, "  %-28s activity %,18.2f  rhs %,18.2f  %s%n", row.name(), row.activity(), row.rhs(),
          row.met() ? "met" : "MISSED by %,.2f".formatted(row.violation()));
    }
    double poolRate = pool.solves / pool.solveSeconds / cores;
    System.out.printf(Locale.ROOT,
        "article solves in full evaluations: %,d in %.1f s = %,.0f solves/s per core (%d cores, cache and sums included)%n",
        pool.solves, pool.solveSeconds, poolRate, cores);
    System.out.printf(Locale.ROOT,
        "  by CPU time (the machine is shared): %.1f CPU-s = %,.0f solves per CPU-second; load average %.1f%n",
        pool.cpuSeconds, pool.solves / pool.cpuSeconds, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf(Locale.ROOT, "single-article solver alone, one thread, at the final multipliers: %,.0f solves/s%n",
        singleThread(problems, rows, result.lambda()));
    System.out.printf(Locale.ROOT, "cached paths: %,d (%.1f per article); peak heap %,.0f MiB (max %,d MiB)%n",
        pool.local.cachedPaths(), pool.local.cachedPaths() / (double) articles, heap.peak() / 1048576.0,
        Runtime.getRuntime().maxMemory() / 1048576);
    heap.interrupt();
  }

  /**
   * Four rows per market, calibrated on a sample of the plan without targets: rate at most 80 %
   * of its rate, at least 30 % of it, markdown budget 85 % of its spend, sell-through at least 98 %
   * of its own.
   */
  static List<CouplingRow> calibrate(List<ArticleProblem> problems, int markets) {
    double[] discount = new double[markets];
    double[] gross = new double[markets];
    double[] sold = new double[markets];
    double[] stock = new double[markets];
    long[] count = new long[markets];
    ArticleSolver solver = new ArticleSolver();
    int step = Math.max(1, problems.size() / CALIBRATION_SAMPLE);
    while (java.math.BigInteger.valueOf(step).gcd(java.math.BigInteger.valueOf(markets)).intValue() != 1) {
      step++; // every market in the sample
    }
    for (int i = 0; i < problems.size(); i += step) {
      ArticleProblem p = problems.get(i);
      int m = Integer.parseInt(p.market().substring(1));
      PathSummary s = solver.solve(p, CouplingWeights.none(p.weeks()));
      for (int t = 0; t < p.weeks(); t++) {
        discount[m] += s.discountValue()[t];
        gross[m] += s.grossValue()[t];
        sold[m] += s.units()[t];
      }
      stock[m] += p.startStock();
      count[m]++;
    }
    List<CouplingRow> rows = new ArrayList<>();
    for (int m = 0; m < markets; m++) {
      String market = "M" + m;
      long inMarket = problems.size() / markets + (m < problems.size() % markets ? 1 : 0);
      double rate = discount[m] / gross[m];
      rows.add(new CouplingRow(market + " discount-rate<=", market, null, CouplingRow.Kind.DISCOUNT_RATE_MAX, 0.8 * rate, -1));
      rows.add(new CouplingRow(market + " discount-rate>=", market, null, CouplingRow.Kind.DISCOUNT_RATE_MIN, 0.3 * rate, -1));
      rows.add(new CouplingRow(market + " markdown-budget", market, null, CouplingRow.Kind.MARKDOWN_BUDGET,
          0.85 * discount[m] * inMarket / count[m], -1));
      rows.add(new CouplingRow(market + " sell-through>=", market, null, CouplingRow.Kind.SELL_THROUGH_MIN,
          0.98 * sold[m] / stock[m], -1));
    }
    return rows;
  }

  private static double singleThread(List<ArticleProblem> problems, List<CouplingRow> rows, double[] lambda) {
    ArticleSolver solver = new ArticleSolver();
    int n = Math.min(problems.size(), 200_000);
    List<CouplingWeights> weights = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ArticleProblem p = problems.get(i);
      int[] applying = rows.stream().filter(r -> r.appliesTo(p)).mapToInt(rows::indexOf).toArray();
      weights.add(CouplingRow.weights(rows, applying, lambda, p.weeks()));
    }
    for (int i = 0; i < Math.min(n, 20_000); i++) {
      solver.solve(problems.get(i), weights.get(i));
    }
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      solver.solve(problems.get(i), weights.get(i));
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /** The local pool, timing its full evaluations. */
  private static final class TimedPool implements ArticlePool {
    final LocalArticlePool local;
    long solves;
    double solveSeconds;
    double cpuSeconds;
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    TimedPool(LocalArticlePool local) {
      this.local = local;
    }

    @Override
    public ArticleEvaluation solveAll(double[] lambda) {
      return timed(() -> local.solveAll(lambda));
    }

    @Override
    public ArticleEvaluation solveAll(double[] lambda, int paths) {
      return timed(() -> local.solveAll(lambda, paths));
    }

    @Override
    public Enumeration enumerate(double[] lambda, double slack, int most) {
      return local.enumerate(lambda, slack, most);
    }

    @Override
    public ArticleEvaluation bestCached(double[] lambda) {
      return local.bestCached(lambda);
    }

    @Override
    public List<ArticleCandidates> candidates() {
      return local.candidates();
    }

    @Override
    public List<ArticleCandidates> candidates(double[] lambda, int open) {
      return local.candidates(lambda, open);
    }

    private ArticleEvaluation timed(java.util.function.Supplier<ArticleEvaluation> solve) {
      long start = System.nanoTime();
      long cpu = os.getProcessCpuTime();
      ArticleEvaluation e = solve.get();
      solveSeconds += (System.nanoTime() - start) / 1e9;
      cpuSeconds += (os.getProcessCpuTime() - cpu) / 1e9;
      solves += local.size();
      return e;
    }
  }

  /** Samples the used heap every 100 ms and keeps the largest value. */
  private static final class HeapSampler extends Thread {
    private volatile long peak;

    HeapSampler() {
      setDaemon(true);
    }

    @Override
    public void run() {
      var memory = ManagementFactory.getMemoryMXBean();
      while (!isInterrupted()) {
        peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long peak() {
      return Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
  }
}
