package io.pricepath.optimizer.bench;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.Rules;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Realistic random article problems for benchmarks at scale, generated memory-efficiently: every
 * article owns only its demand curve ({@code [T][K]}); prices, return rates, return lags,
 * fulfillment costs and rules come from small shared template tables (records never mutate their
 * arrays, so sharing is safe).
 *
 * <p>Demand rises with the discount (a per-article elasticity) and decays over the lifecycle;
 * stock binds for about half of the articles; returns come back after 1–3 weeks; residual values
 * are 10–40 % of the black price; about a third of the articles start from a live discount; rules
 * are markdown-only with at most two ladder steps per week and at most four changes, some with a
 * no-touch first week or an early exit week.
 */
final class ScaleArticles {

  private static final int PRICE_POINTS = 64;
  private static final int TEMPLATES = 64;

  private final int weeks;
  private final double[] ladder;
  private final double[][] prices;
  private final double[][][] returnRate;
  private final double[][][] returnWeeks;
  private final double[][][] cost;
  private final Rules[] rules;
  private final long seed;

  /** A generator of {@code weeks}-week problems on a ladder {@code 0, 0.1, …} of {@code levels} levels. */
  ScaleArticles(int weeks, int levels, long seed) {
    this.weeks = weeks;
    this.seed = seed;
    this.ladder = new double[levels];
    for (int k = 0; k < levels; k++) {
      ladder[k] = 0.1 * k;
    }
    SplittableRandom random = new SplittableRandom(seed);
    prices = new double[PRICE_POINTS][];
    for (int i = 0; i < PRICE_POINTS; i++) {
      double price = Math.round(15 + 135 * Math.pow(random.nextDouble(), 1.5)) - 0.05;
      prices[i] = new double[weeks];
      Arrays.fill(prices[i], price);
    }
    returnRate = new double[TEMPLATES][weeks][levels];
    returnWeeks = new double[TEMPLATES][weeks][levels];
    cost = new double[TEMPLATES][weeks][levels];
    for (int i = 0; i < TEMPLATES; i++) {
      double base = 0.05 + 0.45 * random.nextDouble();
      double lag = 1 + 2 * random.nextDouble();
      double fulfil = 2 + 6 * random.nextDouble();
      for (int t = 0; t < weeks; t++) {
        for (int k = 0; k < levels; k++) {
          returnRate[i][t][k] = Math.min(0.9, base * (1 + 0.4 * ladder[k]));
          returnWeeks[i][t][k] = lag;
          cost[i][t][k] = fulfil * (1 + 0.05 * k);
        }
      }
    }
    rules = new Rules[TEMPLATES];
    for (int i = 0; i < TEMPLATES; i++) {
      int live = i % 3 == 0 ? 1 + random.nextInt(3) : 0;
      boolean[] noTouch = new boolean[weeks];
      noTouch[0] = i % 8 == 1;
      int[] locked = new int[weeks];
      Arrays.fill(locked, -1);
      int exit = i % 16 == 5 ? weeks / 2 + random.nextInt(weeks / 2) : weeks - 1;
      rules[i] = new Rules(live, true, 2, 4, 0, levels - 1, noTouch, exit, locked);
    }
  }

  /** Article {@code i} (deterministic in the generator's seed and {@code i}) in {@code market}. */
  ArticleProblem article(long i, String market, String category) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    int template = random.nextInt(TEMPLATES);
    double[] price = prices[random.nextInt(PRICE_POINTS)];
    double elasticity = 1.0 + 3.0 * random.nextDouble();
    double decay = 0.02 + 0.12 * random.nextDouble();
    double level = 2 + 40 * Math.pow(random.nextDouble(), 2);
    int levels = ladder.length;
    double[][] demand = new double[weeks][levels];
    double total = 0;
    for (int t = 0; t < weeks; t++) {
      double base = level * Math.exp(-decay * t) * (0.9 + 0.2 * random.nextDouble());
      total += base;
      double previous = 0;
      for (int k = 0; k < levels; k++) {
        double q = base * Math.exp(elasticity * ladder[k]) * (0.95 + 0.1 * random.nextDouble());
        previous = Math.max(previous, q);
        demand[t][k] = previous;
      }
    }
    double cover = random.nextDouble() < 0.5 ? 0.4 + 0.8 * random.nextDouble() : 3.0 + random.nextDouble();
    double stock = Math.round(cover * total);
    double residual = price[0] * (0.1 + 0.3 * random.nextDouble());
    return new ArticleProblem(
        "a" + i, market, category, price, ladder, demand, returnRate[template], returnWeeks[template], cost[template],
        residual, stock, rules[template]);
  }
}
