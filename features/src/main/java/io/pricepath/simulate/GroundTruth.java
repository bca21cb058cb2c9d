package io.pricepath.simulate;

import static io.pricepath.contract.Columns.ARTICLE_ID;
import static io.pricepath.contract.Columns.BLACK_PRICE;
import static io.pricepath.contract.Columns.EXIT_WEEK;
import static io.pricepath.contract.Columns.MARKET;
import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The ground truth of a simulated dataset root: the parameters the simulator drew per (article,
 * market), the functions that turn them into true demand, return, cost and residual figures, and
 * the replay of a price plan against them.
 *
 * <p>The truth lives under {@code ROOT/truth/}: {@code params/} (Parquet, one row per article
 * and market, the columns of {@link TruthParams} in snake case) and {@code truth.json} (the
 * simulator config and seed).
 */
public final class GroundTruth {
  private final SparkSession spark;
  private final String root;
  private final SimulatorConfig config;
  private final Dataset<Row> parameters;

  private GroundTruth(SparkSession spark, String root, SimulatorConfig config, Dataset<Row> parameters) {
    this.spark = spark;
    this.root = root;
    this.config = config;
    this.parameters = parameters;
  }

  /**
   * Loads the truth a {@link MarketSimulator} wrote under {@code root}.
   *
   * @throws IllegalArgumentException when {@code root} holds no simulator truth
   */
  public static GroundTruth load(SparkSession spark, String root) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(root, "root");
    String base = TruthFile.trimRoot(root);
    SimulatorConfig config = TruthFile.read(spark, base);
    Dataset<Row> parameters = spark.read().parquet(base + "/" + SimulatedTables.TRUTH_PARAMS);
    return new GroundTruth(spark, base, config, parameters);
  }

  /** The dataset root the truth was loaded from. */
  public String root() {
    return root;
  }

  /** The config the dataset was generated with. */
  public SimulatorConfig config() {
    return config;
  }

  /** The first week a plan prices: the Monday right after the last history week. */
  public LocalDate planWeek() {
    return config.planWeek();
  }

  /**
   * One row per (article, market) with every truth parameter (see {@link TruthParams}; columns in
   * snake case: {@code article_id, market, article_index, market_index, category, first_week,
   * exit_week, black_price, unit_cost, base_demand, …, start_stock, live_discount,
   * pending_returns}).
   */
  public Dataset<Row> parameters() {
    return parameters;
  }

  /**
   * What the generator knows at the plan week, one row per (article, market): {@code article_id,
   * market, start_stock} (units carried into the plan week = last {@code stock_on_hand} minus
   * that week's {@code units_sold}, the contract's default), {@code live_discount} (discount of
   * the last history week), {@code pending_returns} (history sales returning in the plan week
   * and the 3 weeks after, not yet in the stock), {@code black_price}, {@code exit_week} and
   * {@code on_sale} (exit week not before the plan week and stock or returns to sell).
   */
  public Dataset<Row> startingState() {
    return parameters.select(
        col(ARTICLE_ID),
        col(MARKET),
        col("start_stock"),
        col("live_discount"),
        col("pending_returns"),
        col(BLACK_PRICE),
        col(EXIT_WEEK),
        col(EXIT_WEEK)
            .geq(org.apache.spark.sql.functions.lit(planWeek()))
            .and(col("start_stock").gt(0))
            .as("on_sale"));
  }

  /** The truth of one (article, market), or a clear error when the dataset has none. */
  public TruthParams parameters(String articleId, String market) {
    List<Row> rows =
        parameters
            .filter(col(ARTICLE_ID).equalTo(articleId).and(col(MARKET).equalTo(market)))
            .limit(2)
            .collectAsList();
    if (rows.size() != 1) {
      throw new IllegalArgumentException(
          "Cannot find truth: %s has %d rows for article %s in market %s (use a key of weekly/)"
              .formatted(root + "/" + SimulatedTables.TRUTH_PARAMS, rows.size(), articleId, market));
    }
    return SimulatedTables.truthParams(rows.get(0));
  }

  /** Converts one row of {@link #parameters()} to its record. */
  public static TruthParams toParams(Row row) {
    return SimulatedTables.truthParams(row);
  }

  /**
   * Expected gross units sold in {@code week} at {@code discount} if stock were unlimited:
   * {@code baseDemand · lifeCycle(age) · season(week) · exp(elasticity · discount) · exp(promoLift
   * · xPromo)}, 0 outside [first week, exit week]. Life cycle: {@code (1 − exp(−(age + 1) /
   * rampWeeks)) · exp(−decay · age / seasonWeeks)}; season: {@code 1 + seasonAmplitude · cos(2π
   * (dayOfYear − seasonPeakDay) / 365.25)}. Strictly increasing in the discount while on sale.
   *
   * @throws IllegalArgumentException when {@code discount} is outside [0, 1)
   */
  public static double expectedDemand(TruthParams params, LocalDate week, double discount, double xPromo) {
    checkDiscount(discount);
    if (week.isBefore(params.firstWeek()) || week.isAfter(params.exitWeek())) {
      return 0;
    }
    long age = ChronoUnit.WEEKS.between(params.firstWeek(), week);
    double life =
        (1 - Math.exp(-(age + 1) / params.rampWeeks()))
            * Math.exp(-params.decay() * age / params.seasonWeeks());
    double season =
        1 + params.seasonAmplitude()
            * Math.cos(2 * Math.PI * (week.getDayOfYear() - params.seasonPeakDay()) / 365.25);
    return params.baseDemand()
        * life
        * season
        * Math.exp(params.elasticity() * discount)
        * Math.exp(params.promoLift() * xPromo);
  }

  /** True share of units sold at {@code discount} that are returned, in [0, 0.95]. */
  public static double returnRate(TruthParams params, double discount) {
    checkDiscount(discount);
    double rate = params.returnRate() * (1 - params.returnDiscountSlope() * discount);
    return Math.max(0, Math.min(0.95, rate));
  }

  /** Probability that a return arrives 1, 2, 3, 4 weeks after its sale (a copy). */
  public static double[] returnLagProbabilities(TruthParams params) {
    return params.returnLagProbabilities().clone();
  }

  /** Expected weeks from a sale to its return: Σ lag · probability. */
  public static double expectedReturnWeeks(TruthParams params) {
    double[] p = params.returnLagProbabilities();
    double weeks = 0;
    for (int lag = 1; lag <= p.length; lag++) {
      weeks += lag * p[lag - 1];
    }
    return weeks;
  }

  /**
   * True expected fulfillment cost per sold unit at {@code discount}, returns included: {@code
   * shipCost + returnHandlingCost · returnRate(discount)}.
   */
  public static double fulfillmentCostPerUnit(TruthParams params, double discount) {
    return params.shipCost() + params.returnHandlingCost() * returnRate(params, discount);
  }

  /** Value per unit of stock left after the exit week (what {@code residuals/} reports). */
  public static double residualValuePerUnit(TruthParams params) {
    return params.residualValue();
  }

  /**
   * Replays {@code plan} against the truth under {@code root}: see {@link #simulate(Dataset,
   * long, boolean)}.
   */
  public static PlanOutcome simulatePlan(
      SparkSession spark, String root, Dataset<Row> plan, long seed, boolean expected) {
    return load(spark, root).simulate(plan, seed, expected);
  }

  /**
   * Realises a price plan with the true demand, week by week from the plan week.
   *
   * <p>{@code plan} has one row per (article_id, market, week) with its {@code discount} in [0, 1)
   * and optionally {@code x_promo} (else 0); other columns (as in {@code recommendations/}) are
   * ignored. Each (article, market) of the plan must exist in the truth, and its weeks must run
   * consecutively from the plan week. Article-markets not in the plan are not simulated.
   *
   * <p>Each starts from its {@code start_stock} (the contract's default starting stock), with
   * its pending history returns arriving as scheduled. Per week, returns due that week join the
   * stock at its start; units = min(demand, stock), where demand is the true expected demand
   * ({@code expected = true}) or a gamma-Poisson draw from a stream seeded by ({@code seed},
   * article, market); returned units go back into stock 1–4 weeks later; revenue = price ×
   * (units − returns); profit = revenue − fulfillment cost. Weeks after the exit week sell
   * nothing. The stock left after the plan's last week or the exit week, whichever comes first,
   * plus every return arriving after it, is valued at the residual value per unit and reported on
   * the article-market's last plan row. The result is deterministic for a seed.
   *
   * @throws IllegalArgumentException when the plan breaks one of these rules
   */
  public PlanOutcome simulate(Dataset<Row> plan, long seed, boolean expected) {
    return PlanReplay.run(spark, this, plan, seed, expected);
  }

  static void checkDiscount(double discount) {
    if (!(discount >= 0 && discount < 1)) {
      throw new IllegalArgumentException(
          "Cannot evaluate truth: discount must be in [0, 1) (%s)".formatted(discount));
    }
  }
}
