package io.pricepath.simulate;

import java.util.SplittableRandom;

/**
 * Category, brand and market profiles and the promotion calendar of one simulated market. Built
 * from the config alone (deterministically), so every executor rebuilds the same catalog.
 */
final class Catalog {
  /** One merchandise group: its price level, demand level and the shape of its truth. */
  record Category(
      String name,
      double basePrice,
      double baseDemand,
      double elasticity,
      double returnRate,
      double meanReturnLag,
      double seasonAmplitude,
      int seasonPeakDay,
      double promoLift,
      double dispersion,
      double shipFactor) {}

  /** One market: its size, price level and shipping cost. */
  record Market(String name, double size, double priceFactor, double shipCost) {}

  /** One brand: price and demand levels. */
  record Brand(String name, double priceFactor, double demandFactor) {}

  static final String[] COLORS = {"black", "white", "navy", "grey", "beige", "red", "green", "blue"};
  static final String[] MATERIALS = {"cotton", "wool", "polyester", "linen", "leather", "denim"};
  private static final int BRANDS = 16;

  // name, price, demand, elasticity, return rate, mean lag, season amplitude, peak day, promo,
  // dispersion, ship factor
  private static final Object[][] CATEGORY_TABLE = {
    {"dresses", 59.0, 5.0, 3.0, 0.55, 2.2, 0.35, 170, 0.45, 3.0, 1.0},
    {"tops", 24.0, 9.0, 2.6, 0.38, 1.8, 0.25, 180, 0.35, 4.0, 0.8},
    {"trousers", 49.0, 6.0, 2.3, 0.45, 2.0, 0.10, 100, 0.30, 4.0, 1.0},
    {"knitwear", 45.0, 5.0, 2.8, 0.33, 2.0, 0.40, 340, 0.40, 3.0, 1.1},
    {"outerwear", 109.0, 3.0, 2.1, 0.30, 2.4, 0.45, 320, 0.35, 2.5, 1.6},
    {"shoes", 79.0, 4.0, 1.9, 0.45, 1.6, 0.15, 120, 0.30, 3.5, 1.3},
    {"bags", 69.0, 3.0, 1.6, 0.15, 2.6, 0.10, 330, 0.25, 2.5, 1.2},
    {"accessories", 19.0, 7.0, 2.4, 0.10, 1.5, 0.20, 350, 0.50, 2.0, 0.6},
  };

  // name suffix handled by SimulatorConfig; size, price factor, ship cost
  private static final double[][] MARKET_TABLE = {
    {1.00, 1.00, 3.2}, {0.85, 1.02, 4.1}, {0.45, 1.00, 3.6}, {0.35, 1.03, 4.4},
    {0.50, 0.92, 2.7}, {0.70, 1.01, 4.6}, {0.65, 0.98, 4.3}, {0.35, 1.06, 5.0},
  };

  private final Category[] categories;
  private final Brand[] brands;
  private final Market[] markets;
  private final boolean[][] campaign;

  private Catalog(Category[] categories, Brand[] brands, Market[] markets, boolean[][] campaign) {
    this.categories = categories;
    this.brands = brands;
    this.markets = markets;
    this.campaign = campaign;
  }

  static Catalog create(SimulatorConfig config) {
    SplittableRandom rng = new SplittableRandom(Sampling.mix(config.seed(), -1));
    Category[] categories = new Category[CATEGORY_TABLE.length];
    for (int c = 0; c < categories.length; c++) {
      Object[] t = CATEGORY_TABLE[c];
      categories[c] =
          new Category(
              (String) t[0],
              (double) t[1] * Sampling.logNormal(rng, 1, 0.08),
              (double) t[2] * Sampling.logNormal(rng, 1, 0.15),
              (double) t[3] * Sampling.logNormal(rng, 1, 0.10),
              Math.min(0.6, Math.max(0.1, (double) t[4] * Sampling.logNormal(rng, 1, 0.08))),
              (double) t[5],
              (double) t[6],
              (int) t[7] + rng.nextInt(-10, 11),
              (double) t[8],
              (double) t[9],
              (double) t[10]);
    }
    Brand[] brands = new Brand[BRANDS];
    for (int b = 0; b < BRANDS; b++) {
      brands[b] =
          new Brand(
              "brand-%02d".formatted(b + 1),
              Sampling.logNormal(rng, 1, 0.25),
              Sampling.logNormal(rng, 1, 0.30));
    }
    Market[] markets = new Market[config.markets()];
    for (int m = 0; m < markets.length; m++) {
      double[] t =
          m < MARKET_TABLE.length
              ? MARKET_TABLE[m]
              : new double[] {
                Sampling.uniform(rng, 0.15, 0.4),
                Sampling.uniform(rng, 0.95, 1.08),
                Sampling.uniform(rng, 3.0, 5.5)
              };
      markets[m] = new Market(SimulatorConfig.marketName(m), t[0], t[1], t[2]);
    }
    boolean[][] campaign = new boolean[config.markets()][config.weeks()];
    for (int m = 0; m < markets.length; m++) {
      SplittableRandom weeks = new SplittableRandom(Sampling.mix(config.seed(), -2, m));
      for (int w = 0; w < config.weeks(); w++) {
        campaign[m][w] = weeks.nextDouble() < 0.06;
      }
    }
    return new Catalog(categories, brands, markets, campaign);
  }

  int categoryCount() {
    return categories.length;
  }

  Category category(int index) {
    return categories[index];
  }

  int brandCount() {
    return brands.length;
  }

  Brand brand(int index) {
    return brands[index];
  }

  Market market(int index) {
    return markets[index];
  }

  /** Whether market {@code m} runs a promotion campaign in history week {@code w}. */
  boolean campaign(int m, int w) {
    return campaign[m][w];
  }
}
