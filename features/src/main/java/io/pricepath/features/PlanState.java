package io.pricepath.features;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.Weeks;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * What is on sale at the plan week, and with what: one row per (article, market) to price.
 *
 * <p>Columns: {@code article_id, market, category, brand, unit_cost, first_week, exit_week,
 * black_price} (of its last history week), {@code live_discount} (discount of its last history
 * week), {@code stock_start} (the contract default: the last known {@code stock_on_hand} minus
 * that week's {@code units_sold}, floored at 0; null when stock is unknown, i.e. unconstrained)
 * and {@code last_week} (its last history week), then the article's optional rule columns
 * ({@code rule_min_discount, rule_max_discount, rule_max_changes, rule_max_steps_per_week,
 * rule_markdown_only, rule_no_touch_until, rule_locked_discount}; null when not set), {@code
 * history_weeks} (weeks with sales before the plan week: few for a new article), {@code history_cv}
 * (the weekly units' standard deviation over their mean in the last {@value #CV_WEEKS} weeks; null
 * without sales), then what
 * the returns of sales before the plan week need: {@code recent_sales} (per sale week of the last
 * {@value #RETURN_LAG_WEEKS} weeks: {@code weeks_before} the plan week, {@code discount}, {@code
 * units} sold and {@code returned}, the units of it that came back before the plan week) and {@code
 * return_lags} (the market's share of returned units by lag 0…{@value #RETURN_LAG_WEEKS} weeks,
 * from sale weeks whose returns are all in); both null without a {@code returns/} table.
 *
 * <p>An (article, market) is on sale when it has a weekly row in the 4 weeks before the plan
 * week, its {@code exit_week} is null or not before the plan week, its {@code first_week} is null
 * or within the horizon, and its {@code stock_start} is null or positive, or it has sold in the
 * last {@value #RETURN_LAG_WEEKS} weeks of a market with returns (sold out, its returns still to
 * come need a price).
 */
public final class PlanState {
  private PlanState() {}

  /** Weeks before the plan week in which an (article, market) must have sold to be on sale. */
  public static final int RECENT_WEEKS = 4;

  public static final String BLACK_PRICE = Columns.BLACK_PRICE;
  public static final String LIVE_DISCOUNT = "live_discount";
  public static final String STOCK_START = "stock_start";
  public static final String LAST_WEEK = "last_week";
  public static final String HISTORY_WEEKS = "history_weeks";
  public static final String HISTORY_CV = "history_cv";

  /** Weeks of history the volatility ({@link #HISTORY_CV}) is measured on. */
  public static final int CV_WEEKS = 26;
  public static final String RECENT_SALES = "recent_sales";
  public static final String RETURN_LAGS = "return_lags";
  public static final String WEEKS_BEFORE = "weeks_before";
  public static final String RETURNED = "returned";

  /** Longest return lag counted, in weeks: sales older than this have all their returns in. */
  public static final int RETURN_LAG_WEEKS = 12;

  /** Weeks of matured sales the return lags are measured on. */
  static final int LAG_HISTORY_WEEKS = 52;

  /**
   * The plan state of {@code tables} at {@code planWeek} for a horizon of {@code horizon} weeks.
   * Reads only weekly rows before {@code planWeek}.
   */
  public static Dataset<Row> build(ContractTables tables, LocalDate planWeek, int horizon) {
    if (planWeek == null || !Weeks.isMonday(planWeek)) {
      throw new IllegalArgumentException(
          "Cannot build the plan state: the plan week must be a Monday (%s)".formatted(planWeek));
    }
    if (horizon < 1) {
      throw new IllegalArgumentException(
          "Cannot build the plan state: horizon (%d) must be >= 1".formatted(horizon));
    }
    Column stock = col(Columns.STOCK_ON_HAND);
    Column recent = col(Columns.WEEK).geq(lit(planWeek.minusWeeks(CV_WEEKS)));
    Dataset<Row> last =
        tables
            .weekly()
            .filter(col(Columns.WEEK).lt(lit(planWeek)))
            .groupBy(Columns.ARTICLE_ID, Columns.MARKET)
            .agg(
                max(struct(col(Columns.WEEK), col(Columns.BLACK_PRICE), col(Columns.DISCOUNT)))
                    .as("_last"),
                max(when(stock.isNotNull(), struct(col(Columns.WEEK), stock, col(Columns.UNITS_SOLD))))
                    .as("_stock"),
                count(when(col(Columns.UNITS_SOLD).gt(0), lit(1))).cast(DataTypes.IntegerType).as(HISTORY_WEEKS),
                stddev_pop(when(recent, col(Columns.UNITS_SOLD))).as("_sd"),
                avg(when(recent, col(Columns.UNITS_SOLD))).as("_mean"))
            .select(
                col(Columns.ARTICLE_ID),
                col(Columns.MARKET),
                col("_last." + Columns.BLACK_PRICE).as(BLACK_PRICE),
                col("_last." + Columns.DISCOUNT).as(LIVE_DISCOUNT),
                when(
                        col("_stock").isNotNull(),
                        greatest(
                            col("_stock." + Columns.STOCK_ON_HAND)
                                .minus(col("_stock." + Columns.UNITS_SOLD)),
                            lit(0L)))
                    .cast(DataTypes.LongType)
                    .as(STOCK_START),
                col("_last." + Columns.WEEK).as(LAST_WEEK),
                col(HISTORY_WEEKS),
                when(col("_mean").gt(0), col("_sd").divide(col("_mean"))).as(HISTORY_CV));
    Dataset<Row> articles = tables.articles();
    List<String> present = Arrays.asList(articles.columns());
    Column[] attributes = {
      optional(present, Columns.CATEGORY, DataTypes.StringType),
      optional(present, Columns.BRAND, DataTypes.StringType),
      optional(present, Columns.UNIT_COST, DataTypes.DoubleType),
      optional(present, Columns.FIRST_WEEK, DataTypes.DateType),
      optional(present, Columns.EXIT_WEEK, DataTypes.DateType),
      optional(present, Columns.RULE_MIN_DISCOUNT, DataTypes.DoubleType),
      optional(present, Columns.RULE_MAX_DISCOUNT, DataTypes.DoubleType),
      optional(present, Columns.RULE_MAX_CHANGES, DataTypes.LongType),
      optional(present, Columns.RULE_MAX_STEPS_PER_WEEK, DataTypes.LongType),
      optional(present, Columns.RULE_MARKDOWN_ONLY, DataTypes.BooleanType),
      optional(present, Columns.RULE_NO_TOUCH_UNTIL, DataTypes.DateType),
      optional(present, Columns.RULE_LOCKED_DISCOUNT, DataTypes.DoubleType)
    };
    Dataset<Row> attrs =
        articles.select(concat(col(Columns.ARTICLE_ID), attributes));
    LocalDate lastHorizonWeek = planWeek.plusWeeks(horizon - 1);
    Dataset<Row> onSale = last.join(attrs, FeatureBuilder.scalaSeq(Columns.ARTICLE_ID), "left")
        .filter(col(LAST_WEEK).geq(lit(planWeek.minusWeeks(RECENT_WEEKS))))
        .filter(col(Columns.EXIT_WEEK).isNull().or(col(Columns.EXIT_WEEK).geq(lit(planWeek))))
        .filter(
            col(Columns.FIRST_WEEK).isNull().or(col(Columns.FIRST_WEEK).leq(lit(lastHorizonWeek))))
        .select(
            col(Columns.ARTICLE_ID),
            col(Columns.MARKET),
            col(Columns.CATEGORY),
            col(Columns.BRAND),
            col(Columns.UNIT_COST),
            col(Columns.FIRST_WEEK),
            col(Columns.EXIT_WEEK),
            col(BLACK_PRICE),
            col(LIVE_DISCOUNT),
            col(STOCK_START),
            col(LAST_WEEK),
            col(Columns.RULE_MIN_DISCOUNT),
            col(Columns.RULE_MAX_DISCOUNT),
            col(Columns.RULE_MAX_CHANGES),
            col(Columns.RULE_MAX_STEPS_PER_WEEK),
            col(Columns.RULE_MARKDOWN_ONLY),
            col(Columns.RULE_NO_TOUCH_UNTIL),
            col(Columns.RULE_LOCKED_DISCOUNT),
            col(HISTORY_WEEKS),
            col(HISTORY_CV));
    // sold out, but with returns of recent sales still to come: their stock needs a price too
    return withPendingReturns(onSale, tables, planWeek)
        .filter(col(STOCK_START).isNull().or(col(STOCK_START).gt(0))
            .or(col(RECENT_SALES).isNotNull().and(col(RETURN_LAGS).isNotNull())));
  }

  /**
   * Adds {@code recent_sales} and {@code return_lags} (null without a {@code returns/} table).
   * Reads only weekly rows and returns before {@code planWeek}.
   */
  private static Dataset<Row> withPendingReturns(Dataset<Row> onSale, ContractTables tables, LocalDate planWeek) {
    DataType salesType = DataTypes.createArrayType(DataTypes.createStructType(List.of(
        DataTypes.createStructField(WEEKS_BEFORE, DataTypes.IntegerType, false),
        DataTypes.createStructField(Columns.DISCOUNT, DataTypes.DoubleType, false),
        DataTypes.createStructField(Columns.UNITS, DataTypes.DoubleType, false),
        DataTypes.createStructField(RETURNED, DataTypes.DoubleType, false))));
    DataType lagsType = DataTypes.createArrayType(DataTypes.DoubleType, false);
    if (tables.returns().isEmpty()) {
      return onSale.withColumn(RECENT_SALES, lit(null).cast(salesType))
          .withColumn(RETURN_LAGS, lit(null).cast(lagsType));
    }
    Dataset<Row> returns = tables.returns().get().filter(col(Columns.RETURN_WEEK).lt(lit(planWeek)));
    LocalDate from = planWeek.minusWeeks(RETURN_LAG_WEEKS);
    Dataset<Row> returned = returns
        .filter(col(Columns.SALE_WEEK).geq(lit(from)))
        .groupBy(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(Columns.SALE_WEEK).as(Columns.WEEK))
        .agg(sum(col(Columns.UNITS)).cast(DataTypes.DoubleType).as(RETURNED));
    Dataset<Row> recent = tables.weekly()
        .filter(col(Columns.WEEK).geq(lit(from)).and(col(Columns.WEEK).lt(lit(planWeek))))
        .select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(Columns.WEEK), col(Columns.DISCOUNT),
            col(Columns.UNITS_SOLD))
        .join(returned, FeatureBuilder.scalaSeq(Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK), "left")
        .groupBy(col(Columns.ARTICLE_ID), col(Columns.MARKET))
        .agg(collect_list(struct(
            floor(datediff(lit(planWeek), col(Columns.WEEK)).divide(7)).cast(DataTypes.IntegerType).as(WEEKS_BEFORE),
            coalesce(col(Columns.DISCOUNT), lit(0.0)).cast(DataTypes.DoubleType).as(Columns.DISCOUNT),
            col(Columns.UNITS_SOLD).cast(DataTypes.DoubleType).as(Columns.UNITS),
            coalesce(col(RETURNED), lit(0.0)).as(RETURNED))).as(RECENT_SALES));
    Dataset<Row> lags = onSale.sparkSession().createDataFrame(
        returnLags(returns, planWeek),
        DataTypes.createStructType(List.of(
            DataTypes.createStructField(Columns.MARKET, DataTypes.StringType, false),
            DataTypes.createStructField(RETURN_LAGS, lagsType, false))));
    List<Column> ordered = new ArrayList<>();
    for (String column : onSale.columns()) {
      ordered.add(col(column));
    }
    ordered.add(col(RECENT_SALES));
    ordered.add(col(RETURN_LAGS));
    // joins on keys put the keys first: the plan state keeps its column order
    return onSale
        .join(recent, FeatureBuilder.scalaSeq(Columns.ARTICLE_ID, Columns.MARKET), "left")
        .join(lags, FeatureBuilder.scalaSeq(Columns.MARKET), "left")
        .select(ordered.toArray(Column[]::new));
  }

  /**
   * Per market with returns of the last {@value #LAG_HISTORY_WEEKS} + {@value #RETURN_LAG_WEEKS}
   * sale weeks, the share of returned units by lag (0…{@value #RETURN_LAG_WEEKS} weeks), from the
   * sale weeks whose returns are all in; a market without such returns takes every market's, and
   * when no sale week is that old, every return of the window so far.
   */
  private static List<Row> returnLags(Dataset<Row> returns, LocalDate planWeek) {
    LocalDate matured = planWeek.minusWeeks(RETURN_LAG_WEEKS);
    Column lag = floor(datediff(col(Columns.RETURN_WEEK), col(Columns.SALE_WEEK)).divide(7))
        .cast(DataTypes.IntegerType);
    // units by market and lag, for matured sale weeks and for all of them: one pass over returns
    Map<String, double[]> maturedCounts = new TreeMap<>();
    Map<String, double[]> allCounts = new TreeMap<>();
    for (Row r : returns
        .filter(col(Columns.SALE_WEEK).geq(lit(matured.minusWeeks(LAG_HISTORY_WEEKS))))
        .withColumn("_lag", lag)
        .filter(col("_lag").between(0, RETURN_LAG_WEEKS))
        .groupBy(col(Columns.MARKET), col("_lag"), col(Columns.SALE_WEEK).lt(lit(matured)).as("_matured"))
        .agg(sum(col(Columns.UNITS)).cast(DataTypes.DoubleType))
        .collectAsList()) {
      int l = r.getInt(1);
      allCounts.computeIfAbsent(r.getString(0), m -> new double[RETURN_LAG_WEEKS + 1])[l] += r.getDouble(3);
      if (r.getBoolean(2)) {
        maturedCounts.computeIfAbsent(r.getString(0), m -> new double[RETURN_LAG_WEEKS + 1])[l] += r.getDouble(3);
      }
    }
    Map<String, double[]> byMarket = maturedCounts.isEmpty() ? allCounts : maturedCounts;
    double[] every = new double[RETURN_LAG_WEEKS + 1];
    byMarket.values().forEach(v -> {
      for (int l = 0; l < v.length; l++) {
        every[l] += v[l];
      }
    });
    double everyTotal = Arrays.stream(every).sum();
    List<Row> rows = new ArrayList<>();
    for (String market : allCounts.keySet()) {
      double[] counts = byMarket.getOrDefault(market, every);
      double total = Arrays.stream(counts).sum();
      if (total <= 0) {
        counts = every;
        total = everyTotal;
      }
      if (total <= 0) {
        continue;
      }
      Double[] shares = new Double[counts.length];
      for (int l = 0; l < counts.length; l++) {
        shares[l] = counts[l] / total;
      }
      rows.add(RowFactory.create(market, Arrays.asList(shares)));
    }
    return rows;
  }

  private static Column optional(List<String> present, String column, DataType type) {
    return (present.contains(column) ? col(column) : lit(null)).cast(type).as(column);
  }

  private static Column[] concat(Column first, Column[] rest) {
    Column[] all = new Column[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
