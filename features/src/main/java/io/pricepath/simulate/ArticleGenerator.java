package io.pricepath.simulate;

import io.pricepath.simulate.ArticleHistory.MarketHistory;
import io.pricepath.simulate.ArticleHistory.ReturnBatch;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws one article's truth and simulates its history week by week, from a random stream seeded
 * by (seed, article index) only.
 */
final class ArticleGenerator {
  private static final double LADDER_STEP = 0.05;
  private static final double MAX_DISCOUNT = 0.7;
  private static final double OTHER_MARKET_SHARE = 0.9;

  private final SimulatorConfig config;
  private final Catalog catalog;
  private final int idWidth;

  ArticleGenerator(SimulatorConfig config) {
    this.config = config;
    this.catalog = Catalog.create(config);
    this.idWidth = Math.max(6, String.valueOf(config.articles()).length());
  }

  String articleId(int index) {
    return "A" + String.format("%0" + idWidth + "d", index + 1);
  }

  ArticleHistory generate(int index) {
    return generate(index, true);
  }

  /**
   * Article {@code index}; with {@code simulate = false} only its attributes (no markets), which
   * are the same as with {@code simulate = true}.
   */
  ArticleHistory generate(int index, boolean simulate) {
    SplittableRandom rng = new SplittableRandom(Sampling.mix(config.seed(), index));
    int weeks = config.weeks();
    Catalog.Category category = catalog.category(rng.nextInt(catalog.categoryCount()));
    Catalog.Brand brand = catalog.brand(rng.nextInt(catalog.brandCount()));

    // Life cycle: ended before the plan week, or live at it.
    int length = rng.nextInt(14, 37);
    int first;
    if (rng.nextDouble() < 0.4 && weeks - length >= 0) {
      first = rng.nextInt(0, weeks - length + 1);
    } else {
      int lo = Math.max(0, weeks - length + 1);
      int hi = Math.max(lo, weeks - 3);
      first = rng.nextInt(lo, hi + 1);
      length = Math.max(length, weeks - first + 1);
    }
    int exit = first + length - 1;
    LocalDate firstWeek = config.week(first);
    LocalDate exitWeek = config.week(exit);

    double price = roundPrice(category.basePrice() * brand.priceFactor() * Sampling.logNormal(rng, 1, 0.2));
    double unitCost = round2(price * Sampling.uniform(rng, 0.3, 0.5));
    double residualShare = Sampling.uniform(rng, 0.3, 0.8);
    double baseDemand =
        category.baseDemand() * brand.demandFactor() * Sampling.logNormal(rng, 1, 0.6);
    double ramp = Sampling.uniform(rng, 0.8, 3.0);
    double decay = Sampling.uniform(rng, 0.3, 1.5);
    double elasticity = category.elasticity() * Sampling.logNormal(rng, 1, 0.2);
    double returnRate =
        Math.min(0.8, Math.max(0.02, category.returnRate() * Sampling.logNormal(rng, 1, 0.15)));
    double returnSlope = Sampling.uniform(rng, 0, 0.5);
    double[] lags = lagProbabilities(category.meanReturnLag() + Sampling.uniform(rng, -0.3, 0.3));
    String color = Catalog.COLORS[rng.nextInt(Catalog.COLORS.length)];
    String material = Catalog.MATERIALS[rng.nextInt(Catalog.MATERIALS.length)];
    double weight = round2(0.2 + category.shipFactor() * Sampling.logNormal(rng, 0.5, 0.3));
    MarkdownPolicy policy = MarkdownPolicy.draw(rng);

    List<MarketHistory> markets = new ArrayList<>();
    long plannedUnits = 0;
    for (int m = 0; m < config.markets(); m++) {
      boolean sold = m == 0 || rng.nextDouble() < OTHER_MARKET_SHARE;
      long marketSeed = rng.nextLong();
      if (!sold) {
        continue;
      }
      SplittableRandom mrng = new SplittableRandom(marketSeed);
      Catalog.Market market = catalog.market(m);
      double marketPrice = roundPrice(price * market.priceFactor() * Sampling.uniform(mrng, 0.98, 1.02));
      double ship = round2(market.shipCost() * category.shipFactor() * Sampling.logNormal(mrng, 1, 0.1));
      TruthParams truth =
          new TruthParams(
              articleId(index),
              market.name(),
              index,
              m,
              category.name(),
              firstWeek,
              exitWeek,
              marketPrice,
              unitCost,
              baseDemand * market.size() * Sampling.logNormal(mrng, 1, 0.25),
              ramp,
              decay,
              category.seasonAmplitude(),
              category.seasonPeakDay(),
              elasticity * Sampling.logNormal(mrng, 1, 0.05),
              category.promoLift(),
              category.dispersion(),
              returnRate,
              returnSlope,
              lags,
              ship,
              round2(ship * 0.6),
              0.1,
              round2(unitCost * residualShare),
              0,
              0,
              new long[TruthParams.MAX_RETURN_LAG]);
      long initialBuy = initialBuy(truth, first, exit, mrng);
      plannedUnits += initialBuy;
      if (simulate) {
        markets.add(simulate(truth, first, exit, policy, initialBuy, mrng));
      }
    }
    return new ArticleHistory(
        index,
        articleId(index),
        category.name(),
        brand.name(),
        season(firstWeek),
        unitCost,
        firstWeek,
        exitWeek,
        color,
        material,
        weight,
        plannedUnits,
        List.copyOf(markets));
  }

  /**
   * The buyer's initial buy of one article in one market: the expected full-price season demand
   * times a buying factor (log-normal around 0.85, σ 0.35). The first draw of the market stream.
   */
  private long initialBuy(TruthParams truth, int first, int exit, SplittableRandom rng) {
    double expected = 0;
    for (int w = first; w <= exit; w++) {
      expected += GroundTruth.expectedDemand(truth, config.week(w), 0, 0);
    }
    return Math.max(4, Math.round(expected * Sampling.logNormal(rng, 0.85, 0.35)));
  }

  private MarketHistory simulate(
      TruthParams truth,
      int first,
      int exit,
      MarkdownPolicy policy,
      long initialBuy,
      SplittableRandom rng) {
    int weeks = config.weeks();
    int last = Math.min(exit, weeks - 1);
    int length = exit - first + 1;
    long[] arrivals = new long[weeks + TruthParams.MAX_RETURN_LAG + 1];

    boolean replenish = rng.nextDouble() < 0.3;
    int replenishWeek = first + rng.nextInt(4, 9);
    double replenishShare = Sampling.uniform(rng, 0.2, 0.5);
    int start = policy.startAge() + rng.nextInt(-1, 3);

    int rows = last - first + 1;
    int[] weekIndex = new int[rows];
    double[] discount = new double[rows];
    long[] unitsSold = new long[rows];
    long[] stockOnHand = new long[rows];
    double[] cost = new double[rows];
    double[] promo = new double[rows];
    List<ReturnBatch> returns = new ArrayList<>();
    int n = 0;

    long stock = 0;
    long cumulative = 0;
    long lastSales = 0;
    double d = 0;
    int lastChange = -100;
    for (int w = first; w <= last; w++) {
      int age = w - first;
      if (w == first) {
        stock += initialBuy;
      }
      if (replenish && w == replenishWeek && cumulative >= 0.4 * initialBuy) {
        stock += Math.round(initialBuy * replenishShare);
      }
      stock += arrivals[w];
      if (stock == 0) {
        // Sold out and nothing came back: no row, no decision this week.
        lastSales = 0;
        continue;
      }

      // Markdowns only: scheduled steps (sooner when stock covers more than the weeks left),
      // and a little random exploration.
      double u = rng.nextDouble();
      boolean step = false;
      if (!policy.never() && age >= start) {
        boolean scheduled = age == start || age - lastChange >= policy.interval();
        double cover = stock / (double) Math.max(1, lastSales);
        boolean slow = cover > 1.3 * (length - age);
        step = scheduled && (slow || u < 0.5);
      }
      if (!step && age >= 2 && rng.nextDouble() < 0.04) {
        step = true;
      }
      if (step && d < policy.maxDepth()) {
        int steps = policy.stepTicks() * (rng.nextDouble() < 0.2 ? 2 : 1);
        d = Math.min(policy.maxDepth(), onGrid(d + steps * LADDER_STEP));
        lastChange = age;
      }

      double x = catalog.campaign(truth.marketIndex(), w)
          ? (rng.nextDouble() < 0.35 ? 1 : 0)
          : (rng.nextDouble() < 0.01 ? 1 : 0);
      double mean = GroundTruth.expectedDemand(truth, config.week(w), d, x);
      long demand = Sampling.negativeBinomial(rng, mean, truth.dispersion());
      long sold = Math.min(demand, stock);
      weekIndex[n] = w;
      discount[n] = d;
      unitsSold[n] = sold;
      stockOnHand[n] = stock;
      cost[n] =
          round2(sold * GroundTruth.fulfillmentCostPerUnit(truth, d)
              * Sampling.meanOneNoise(rng, truth.costNoise()));
      promo[n] = x;
      n++;
      long returned = Sampling.binomial(rng, sold, GroundTruth.returnRate(truth, d));
      if (returned > 0) {
        long[] byLag = Sampling.multinomial(rng, returned, truth.returnLagProbabilities());
        for (int lag = 1; lag <= byLag.length; lag++) {
          long units = byLag[lag - 1];
          if (units > 0) {
            arrivals[w + lag] += units;
            if (w + lag < weeks) {
              returns.add(new ReturnBatch(w, w + lag, units));
            }
          }
        }
      }
      stock -= sold;
      cumulative += sold;
      lastSales = sold;
    }
    long[] pending = new long[TruthParams.MAX_RETURN_LAG];
    if (exit >= weeks) {
      System.arraycopy(arrivals, weeks, pending, 0, pending.length);
    }
    return new MarketHistory(
        truth.withPlanState(stock, d, pending),
        java.util.Arrays.copyOf(weekIndex, n),
        java.util.Arrays.copyOf(discount, n),
        java.util.Arrays.copyOf(unitsSold, n),
        java.util.Arrays.copyOf(stockOnHand, n),
        java.util.Arrays.copyOf(cost, n),
        java.util.Arrays.copyOf(promo, n),
        List.copyOf(returns));
  }

  /** Probabilities of a 1..4-week return lag, centred on {@code mean}. */
  static double[] lagProbabilities(double mean) {
    double[] p = new double[TruthParams.MAX_RETURN_LAG];
    double sum = 0;
    for (int k = 1; k <= p.length; k++) {
      p[k - 1] = Math.exp(-(k - mean) * (k - mean) / 1.2);
      sum += p[k - 1];
    }
    for (int k = 0; k < p.length; k++) {
      p[k] /= sum;
    }
    return p;
  }

  /** Season label of a launch week: February to July is spring-summer, the rest autumn-winter. */
  static String season(LocalDate launch) {
    int month = launch.getMonthValue();
    if (month >= 2 && month <= 7) {
      return launch.getYear() + "-SS";
    }
    return (month == 1 ? launch.getYear() - 1 : launch.getYear()) + "-AW";
  }

  static double onGrid(double discount) {
    return Math.round(discount / LADDER_STEP) * 5 / 100.0;
  }

  private static double roundPrice(double price) {
    return Math.max(1, Math.floor(price)) + 0.95;
  }

  private static double round2(double value) {
    return Math.round(value * 100) / 100.0;
  }

  /** How an article is marked down over its life (shared by its markets). */
  record MarkdownPolicy(boolean never, int startAge, int interval, int stepTicks, double maxDepth) {
    static MarkdownPolicy draw(SplittableRandom rng) {
      boolean never = rng.nextDouble() < 0.12;
      int start = rng.nextInt(3, 13);
      int interval = rng.nextInt(2, 7);
      int ticks = rng.nextDouble() < 0.5 ? 1 : 2;
      double depth = onGrid(0.3 + 0.1 * rng.nextInt(0, 5));
      return new MarkdownPolicy(never, start, interval, ticks, Math.min(MAX_DISCOUNT, depth));
    }
  }
}
