package io.pricepath.features;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Small, seeded, contract-shaped datasets in memory, with a known discount effect: expected demand
 * is {@code base * market * season * promo * exp(ELASTICITY * discount)}, sales are Poisson and
 * capped by stock (censored weeks) when stock is tracked.
 */
public final class ContractFixtures {
  private ContractFixtures() {}

  /** Demand multiplier per unit of discount: {@code exp(2.5 * 0.5) = 3.5x} at 50 % off. */
  public static final double ELASTICITY = 2.5;

  /** First week of every fixture. */
  public static final LocalDate START = LocalDate.of(2024, 1, 1);

  /**
   * What a fixture holds.
   *
   * @param articles number of articles
   * @param markets number of markets (DE, FR, …)
   * @param weeks weeks of weekly rows from {@link #START}
   * @param stock whether stock is tracked (else {@code stock_on_hand} is null)
   * @param returns whether there is a {@code returns/} table
   * @param residuals whether there is a {@code residuals/} table
   * @param seed random seed
   */
  public record Spec(
      int articles, int markets, int weeks, boolean stock, boolean returns, boolean residuals,
      long seed) {

    /** 40 articles, 2 markets, 52 weeks, stock, returns and residuals. */
    public static Spec full() {
      return new Spec(40, 2, 52, true, true, true, 7L);
    }

    /** The same without returns, residuals and stock. */
    public Spec bare() {
      return new Spec(articles, markets, weeks, false, false, false, seed);
    }
  }

  public static final StructType ARTICLES =
      new StructType()
          .add(Columns.ARTICLE_ID, DataTypes.StringType, false)
          .add(Columns.CATEGORY, DataTypes.StringType, false)
          .add(Columns.BRAND, DataTypes.StringType, true)
          .add(Columns.SEASON, DataTypes.StringType, true)
          .add(Columns.UNIT_COST, DataTypes.DoubleType, true)
          .add(Columns.FIRST_WEEK, DataTypes.DateType, true)
          .add(Columns.EXIT_WEEK, DataTypes.DateType, true)
          .add("c_color", DataTypes.StringType, true)
          .add("x_weight", DataTypes.DoubleType, true);

  public static final StructType WEEKLY =
      new StructType()
          .add(Columns.ARTICLE_ID, DataTypes.StringType, false)
          .add(Columns.MARKET, DataTypes.StringType, false)
          .add(Columns.WEEK, DataTypes.DateType, false)
          .add(Columns.BLACK_PRICE, DataTypes.DoubleType, false)
          .add(Columns.DISCOUNT, DataTypes.DoubleType, false)
          .add(Columns.UNITS_SOLD, DataTypes.LongType, false)
          .add(Columns.STOCK_ON_HAND, DataTypes.LongType, true)
          .add(Columns.FULFILLMENT_COST, DataTypes.DoubleType, true)
          .add("x_promo", DataTypes.DoubleType, true);

  public static final StructType RETURNS =
      new StructType()
          .add(Columns.ARTICLE_ID, DataTypes.StringType, false)
          .add(Columns.MARKET, DataTypes.StringType, false)
          .add(Columns.SALE_WEEK, DataTypes.DateType, false)
          .add(Columns.RETURN_WEEK, DataTypes.DateType, false)
          .add(Columns.UNITS, DataTypes.LongType, false);

  public static final StructType RESIDUALS =
      new StructType()
          .add(Columns.ARTICLE_ID, DataTypes.StringType, false)
          .add(Columns.MARKET, DataTypes.StringType, false)
          .add(Columns.RESIDUAL_VALUE, DataTypes.DoubleType, false);

  private static final String[] MARKETS = {"DE", "FR", "NL", "AT"};
  private static final String[] CATEGORIES = {"dresses", "shirts", "shoes"};
  private static final String[] COLORS = {"black", "blue", "red"};

  /** A dataset following {@code spec}, held in memory (root {@code memory:fixture}). */
  public static ContractTables build(SparkSession spark, Spec spec) {
    SplittableRandom random = new SplittableRandom(spec.seed());
    List<Row> articles = new ArrayList<>();
    List<Row> weekly = new ArrayList<>();
    List<Row> returns = new ArrayList<>();
    List<Row> residuals = new ArrayList<>();
    LocalDate lastWeek = START.plusWeeks(spec.weeks() - 1);
    for (int a = 0; a < spec.articles(); a++) {
      String id = "A%03d".formatted(a);
      int category = random.nextInt(CATEGORIES.length);
      double price = 20 + 10 * category + random.nextInt(40);
      LocalDate first = START.plusWeeks(random.nextInt(Math.max(1, spec.weeks() / 5)));
      // a third of the articles end their season early (their residual values are history)
      LocalDate exit =
          a % 3 == 0
              ? first.plusWeeks(spec.weeks() / 3 + random.nextInt(spec.weeks() / 4))
              : first.plusWeeks(spec.weeks() - 5 + random.nextInt(spec.weeks() / 2));
      double base = 3 + random.nextDouble() * 12;
      double weight = 0.2 + random.nextDouble();
      articles.add(
          RowFactory.create(
              id,
              CATEGORIES[category],
              a % 5 == 0 ? null : "brand" + (a % 4),
              "2024-SS",
              price * 0.4,
              first,
              exit,
              COLORS[random.nextInt(COLORS.length)],
              weight));
      for (int m = 0; m < spec.markets(); m++) {
        String market = MARKETS[m];
        double marketFactor = 1.0 + 0.5 * m;
        long stock = Math.round(base * marketFactor * spec.weeks() * 2.5);
        double discount = 0;
        for (LocalDate w = first; !w.isAfter(lastWeek) && !w.isAfter(exit); w = w.plusWeeks(1)) {
          if (random.nextDouble() < 0.12 && discount < 0.6) {
            discount = Math.round((discount + 0.1) * 10) / 10.0;
          }
          double shown = random.nextDouble() < 0.15 ? Math.max(0, discount - 0.1) : discount;
          shown = Math.round(shown * 10) / 10.0;
          double promo = random.nextDouble() < 0.1 ? 1.0 : 0.0;
          double season = 1 + 0.3 * Math.sin(2 * Math.PI * w.getDayOfYear() / 365.0);
          double mean =
              base * marketFactor * season * (1 + 0.5 * promo) * Math.exp(ELASTICITY * shown);
          long demand = poisson(random, mean);
          Long onHand = spec.stock() ? stock : null;
          long units = spec.stock() ? Math.min(demand, stock) : demand;
          double cost = units * (2.5 + 0.5 * random.nextDouble());
          weekly.add(
              RowFactory.create(id, market, w, price, shown, units, onHand, cost, promo));
          if (spec.stock()) {
            stock -= units;
          }
          if (spec.returns() && units > 0) {
            double rate = 0.2 + 0.3 * shown;
            long back = 0;
            for (long u = 0; u < units; u++) {
              back += random.nextDouble() < rate ? 1 : 0;
            }
            if (back > 0) {
              long later = back / 2;
              returns.add(RowFactory.create(id, market, w, w.plusWeeks(1), back - later));
              if (later > 0) {
                returns.add(RowFactory.create(id, market, w, w.plusWeeks(3), later));
              }
            }
          }
          if (spec.stock() && stock <= 0) {
            break;
          }
        }
        if (spec.residuals()) {
          residuals.add(RowFactory.create(id, market, price * (0.2 + 0.1 * category)));
        }
      }
    }
    Dataset<Row> returnsTable =
        spark.createDataFrame(returns, RETURNS);
    return new ContractTables(
        "memory:fixture",
        spark.createDataFrame(articles, ARTICLES),
        spark.createDataFrame(weekly, WEEKLY),
        spec.returns() ? Optional.of(returnsTable) : Optional.empty(),
        spec.residuals()
            ? Optional.of(spark.createDataFrame(residuals, RESIDUALS))
            : Optional.empty());
  }

  /**
   * What a grocery-style fixture holds ({@link #grocery}).
   *
   * @param articles number of articles
   * @param markets number of markets (1 to 4: DE, FR, NL, AT)
   * @param weeks weeks of weekly rows from {@link #START}
   * @param seed random seed
   */
  public record GrocerySpec(int articles, int markets, int weeks, long seed) {
    public GrocerySpec {
      if (articles < 1 || markets < 1 || markets > MARKETS.length || weeks < 8) {
        throw new IllegalArgumentException(
            "Cannot build a grocery fixture: articles >= 1, markets in [1, %d], weeks >= 8 (%d, %d, %d)"
                .formatted(MARKETS.length, articles, markets, weeks));
      }
    }
  }

  /** Grocery categories: name, base weekly units, discount elasticity, promotion lift. */
  private static final Object[][] GROCERY_CATEGORIES = {
    {"dairy", 20.0, 1.6, 0.30},
    {"bakery", 14.0, 2.0, 0.35},
    {"snacks", 9.0, 3.2, 0.55},
    {"beverages", 12.0, 3.6, 0.50},
    {"frozen", 6.0, 2.6, 0.45},
    {"produce", 16.0, 1.8, 0.25},
  };

  /** Elasticity of demand to the black price, relative to the article's launch price. */
  public static final double GROCERY_PRICE_ELASTICITY = 1.2;

  /**
   * A grocery-style dataset, held in memory (root {@code memory:grocery}), unlike the fashion
   * simulator: no stock (null {@code stock_on_hand} everywhere), no {@code returns/} or {@code
   * residuals/}, stable life cycles (most articles on sale throughout, about 15 % launched during
   * the history, none exiting), black prices that change every 8 to 26 weeks, frequent short
   * promotions (1–2 weeks, about 10 % of the weeks) flagged {@code x_promo = 1} and mostly with a
   * temporary price cut of 10–35 %, a few unflagged price cuts, and about 3 % of weeks without a
   * row (not on sale). Expected demand: {@code base · market · season · exp(e_category ·
   * discount) · exp(lift_category · x_promo) · (black_price / launch_price)^−1.2}, sales a
   * gamma-Poisson draw around it.
   */
  public static ContractTables grocery(SparkSession spark, GrocerySpec spec) {
    SplittableRandom random = new SplittableRandom(spec.seed());
    List<Row> articles = new ArrayList<>();
    List<Row> weekly = new ArrayList<>();
    for (int a = 0; a < spec.articles(); a++) {
      String id = "G%05d".formatted(a);
      int category = random.nextInt(GROCERY_CATEGORIES.length);
      Object[] c = GROCERY_CATEGORIES[category];
      double elasticity = (double) c[2] * Math.exp(0.1 * gaussian(random));
      double lift = (double) c[3];
      double base = (double) c[1] * Math.exp(0.6 * gaussian(random));
      double launchPrice = Math.round((0.8 + 4 * random.nextDouble()) * 100) / 100.0;
      int launch = random.nextDouble() < 0.15 ? random.nextInt(8, spec.weeks()) : -52;
      LocalDate first = START.plusWeeks(launch);
      int brand = random.nextInt(12);
      articles.add(
          RowFactory.create(
              id,
              (String) c[0],
              "brand" + brand,
              null,
              Math.round(launchPrice * 0.6 * 100) / 100.0,
              first,
              null,
              COLORS[random.nextInt(COLORS.length)],
              0.1 + random.nextDouble()));
      double peak = random.nextDouble() * 365;
      for (int m = 0; m < spec.markets(); m++) {
        String market = MARKETS[m];
        double marketFactor = 1.0 - 0.2 * m;
        double price = launchPrice * (1 + 0.05 * m);
        double marketLaunchPrice = price;
        int nextPriceChange = random.nextInt(8, 27);
        int promoLeft = 0;
        double promoDiscount = 0;
        for (int k = Math.max(0, launch); k < spec.weeks(); k++) {
          LocalDate w = START.plusWeeks(k);
          if (k == nextPriceChange) {
            price = Math.round(price * (0.97 + 0.11 * random.nextDouble()) * 100) / 100.0;
            nextPriceChange = k + random.nextInt(8, 27);
          }
          double promo = 0;
          double discount = 0;
          if (promoLeft == 0 && random.nextDouble() < 0.07) {
            promoLeft = random.nextDouble() < 0.5 ? 1 : 2;
            promoDiscount =
                random.nextDouble() < 0.8 ? 0.05 * random.nextInt(2, 8) : 0.0;
          }
          if (promoLeft > 0) {
            promo = 1;
            discount = promoDiscount;
            promoLeft--;
          } else if (random.nextDouble() < 0.03) {
            discount = 0.05 * random.nextInt(2, 5);
          }
          if (random.nextDouble() < 0.03) {
            continue; // not on sale this week: no row
          }
          double season = 1 + 0.15 * Math.cos(2 * Math.PI * (w.getDayOfYear() - peak) / 365.25);
          double ramp = k - launch < 3 ? 0.5 + 0.25 * (k - launch) : 1.0;
          double mean =
              base * marketFactor * season * ramp
                  * Math.exp(elasticity * discount)
                  * Math.exp(lift * promo)
                  * Math.pow(price / marketLaunchPrice, -GROCERY_PRICE_ELASTICITY);
          long units = poisson(random, mean * gamma5(random));
          weekly.add(
              RowFactory.create(
                  id, market, w, price, discount, units, null, units * 0.4, promo));
        }
      }
    }
    return new ContractTables(
        "memory:grocery",
        spark.createDataFrame(articles, ARTICLES),
        spark.createDataFrame(weekly, WEEKLY),
        Optional.empty(),
        Optional.empty());
  }

  /** A gamma draw of shape 5 and mean 1 (sum of exponentials). */
  private static double gamma5(SplittableRandom random) {
    double sum = 0;
    for (int i = 0; i < 5; i++) {
      sum -= Math.log(Math.max(1e-12, random.nextDouble()));
    }
    return sum / 5;
  }

  private static long poisson(SplittableRandom random, double mean) {
    if (mean > 30) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
    }
    double limit = Math.exp(-mean);
    double p = random.nextDouble();
    long k = 0;
    while (p > limit) {
      p *= random.nextDouble();
      k++;
    }
    return k;
  }

  private static double gaussian(SplittableRandom random) {
    double u = Math.max(1e-12, random.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
