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
