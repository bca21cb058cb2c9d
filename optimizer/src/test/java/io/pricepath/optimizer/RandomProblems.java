package io.pricepath.optimizer;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.Rules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Seeded generators of small, plausible article problems for the optimizer tests. */
public final class RandomProblems {

  private final Random random;

  public RandomProblems(long seed) {
    this.random = new Random(seed);
  }

  /** The generator's random source, for tests that draw their own choices. */
  public Random random() {
    return random;
  }

  /** Even ladder {@code 0, 0.1, 0.2, …} of {@code levels} steps. */
  public static double[] ladder(int levels) {
    double[] ladder = new double[levels];
    for (int k = 0; k < levels; k++) {
      ladder[k] = 0.1 * k;
    }
    return ladder;
  }

  /**
   * A random article: demand rising with the discount, returns with lags of 1–3 weeks, fulfillment
   * cost, residual value, and returns of sales before the plan week coming back in its first 4
   * weeks. {@code stockCover} is start stock over expected demand at level 0 (below 1 binds); {@code
   * Double.POSITIVE_INFINITY} for unconstrained stock.
   */
  public ArticleProblem article(String id, String market, String category, int weeks, int levels, double stockCover, Rules rules) {
    double[] ladder = ladder(levels);
    double[] price = new double[weeks];
    double[][] demand = new double[weeks][levels];
    double[][] returnRate = new double[weeks][levels];
    double[][] returnWeeks = new double[weeks][levels];
    double[][] cost = new double[weeks][levels];
    double basePrice = 20 + 80 * random.nextDouble();
    double elasticity = 1.5 + 3 * random.nextDouble();
    double baseReturn = 0.4 * random.nextDouble();
    double total = 0;
    for (int t = 0; t < weeks; t++) {
      price[t] = basePrice;
      double base = 5 + 30 * random.nextDouble() * Math.exp(-0.1 * t);
      total += base;
      double previous = 0;
      for (int k = 0; k < levels; k++) {
        double q = base * Math.exp(elasticity * ladder[k]) * (0.85 + 0.3 * random.nextDouble());
        previous = Math.max(previous, q);
        demand[t][k] = previous;
        returnRate[t][k] = Math.min(1, baseReturn * (1 + 0.5 * ladder[k]));
        returnWeeks[t][k] = 0.5 + 3 * random.nextDouble();
        cost[t][k] = 2 + 6 * random.nextDouble();
      }
    }
    double residual = basePrice * 0.3 * random.nextDouble();
    double stock = stockCover == Double.POSITIVE_INFINITY ? stockCover : Math.round(stockCover * total);
    // returns of the weeks before the plan week, coming back over its first weeks (no extra draws:
    // every other figure of the article stays as it was)
    double[] incoming = new double[weeks];
    double[] share = {0.45, 0.3, 0.15, 0.1};
    for (int t = 0; t < Math.min(weeks, share.length); t++) {
      incoming[t] = baseReturn * demand[0][0] * share[t];
    }
    return new ArticleProblem(
        id, market, category, price, ladder, demand, returnRate, returnWeeks, cost, residual, stock, rules, incoming);
  }

  /** Rules with every kind of restriction drawn at random (locks, no-touch, exit week included). */
  public Rules rules(int weeks, int levels) {
    int live = random.nextInt(levels);
    boolean markdownOnly = random.nextDouble() < 0.7;
    int steps = 1 + random.nextInt(levels);
    int changes = random.nextDouble() < 0.4 ? Integer.MAX_VALUE : random.nextInt(weeks + 1);
    int min = random.nextInt(levels);
    int max = min + random.nextInt(levels - min);
    if (random.nextDouble() < 0.4) {
      min = 0;
      max = levels - 1;
    }
    boolean[] noTouch = new boolean[weeks];
    int[] locked = new int[weeks];
    for (int t = 0; t < weeks; t++) {
      noTouch[t] = random.nextDouble() < 0.15;
      locked[t] = random.nextDouble() < 0.12 ? random.nextInt(levels) : -1;
    }
    double exitDraw = random.nextDouble();
    int exit = exitDraw < 0.7 ? weeks - 1 : exitDraw < 0.97 ? random.nextInt(weeks) : -1;
    return new Rules(live, markdownOnly, steps, changes, min, max, noTouch, exit, locked);
  }

  /** Random non-zero coupling weights. */
  public CouplingWeights weights(int weeks) {
    double[] a = new double[weeks];
    double[] b = new double[weeks];
    double[] c = new double[weeks];
    for (int t = 0; t < weeks; t++) {
      a[t] = 0.6 * random.nextDouble() - 0.3;
      b[t] = 2 * random.nextDouble() - 1;
      c[t] = 4 * random.nextDouble() - 2;
    }
    return new CouplingWeights(a, b, c);
  }

  /**
   * Articles over two markets ({@code DE}, {@code FR}) and two categories ({@code shoes}, {@code
   * bags}), markdown-only from level 0, most with binding stock.
   */
  public List<ArticleProblem> market(int articles, int weeks, int levels) {
    List<ArticleProblem> list = new ArrayList<>();
    for (int i = 0; i < articles; i++) {
      String market = i % 2 == 0 ? "DE" : "FR";
      String category = random.nextBoolean() ? "shoes" : "bags";
      int[] locked = new int[weeks];
      Arrays.fill(locked, -1);
      int steps = 1 + random.nextInt(2);
      Rules rules = new Rules(0, true, steps, Integer.MAX_VALUE, 0, levels - 1, new boolean[weeks], weeks - 1, locked);
      double cover = random.nextDouble() < 0.8 ? 0.6 + 0.8 * random.nextDouble() : 3.0 * weeks;
      list.add(article("a" + i, market, category, weeks, levels, cover, rules));
    }
    return list;
  }

  /** Every path in {@code levels^weeks}, for brute force. */
  public static List<int[]> allPaths(int weeks, int levels) {
    List<int[]> paths = new ArrayList<>();
    int[] path = new int[weeks];
    int total = (int) Math.pow(levels, weeks);
    for (int n = 0; n < total; n++) {
      int x = n;
      for (int t = 0; t < weeks; t++) {
        path[t] = x % levels;
        x /= levels;
      }
      paths.add(path.clone());
    }
    return paths;
  }
}
