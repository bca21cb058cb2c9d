package io.pricepath.features;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.Weeks;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Builds the Spark side of the features: origin states, training samples and scoring inputs.
 *
 * <p>Every history feature of an origin {@code o} is an aggregate over weekly rows with
 * {@code week < o} (and {@code week < planWeek}): nothing at or after an origin reaches its
 * features. Censored weeks ({@code units_sold >= stock_on_hand}) are skipped by the recent sales
 * levels whenever the window has an uncensored week.
 */
public final class FeatureBuilder {
  private FeatureBuilder() {}

  /** Monday that week index 0 names. */
  static final LocalDate EPOCH_MONDAY = LocalDate.of(1970, 1, 5);

  /** The forecast origin of a sample (DATE). */
  public static final String ORIGIN = "origin";

  /** Horizon of a sample: target week = origin + h - 1 weeks (INT, from 1). */
  public static final String H = "h";

  /** Whether a sample's target week sold out (BOOLEAN); its units are a lower bound. */
  public static final String CENSORED = "censored";

  /** The feature vector column (ARRAY&lt;FLOAT&gt;) that {@link #withFeatures} adds. */
  public static final String FEATURES = "features";

  /** Prefix of a training sample's weekly {@code x_*} signals at its target week. */
  public static final String SIGNAL_PREFIX = "signal_";

  /** Scoring inputs: weekly signals of the horizon, MAP&lt;h, ARRAY&lt;DOUBLE&gt;&gt;. */
  public static final String FUTURE_SIGNALS = "future_signals";

  /** Last known black price before the origin. */
  public static final String ORIGIN_BLACK_PRICE = "origin_black_price";

  public static final String UNITS_1 = "units_1";
  public static final String UNITS_4 = "units_4";
  public static final String UNITS_8 = "units_8";
  public static final String LIVE_DISCOUNT = "live_discount";
  public static final String DISCOUNT_4 = "discount_4";
  public static final String DISCOUNT_8 = "discount_8";
  public static final String WEEKS_ON_SALE = "weeks_on_sale";
  public static final String CUMULATIVE_UNITS = "cumulative_units";
  public static final String STOCK_AT_ORIGIN = "stock_at_origin";
  public static final String FIRST_SEEN = "first_seen";

  /**
   * Launch prior of a sample's (market, category, brand) at its origin: the mean units of the
   * first {@link #LAUNCH_WEEKS} weeks of the articles of that brand and category launched in that
   * market before the origin (see {@link #launchPriors}).
   */
  public static final String LAUNCH_PRIOR_BRAND = "launch_prior_brand";

  /** Launch prior of a sample's (market, category) at its origin (see {@link #launchPriors}). */
  public static final String LAUNCH_PRIOR_CATEGORY = "launch_prior_category";

  /**
   * Weeks a sale week must lie before an origin for its returns to count in the return history
   * of that origin: sales of the last {@value} weeks are still coming back.
   */
  public static final int RETURN_HISTORY_LAG = 6;

  /**
   * Return history of a sample's (article, market) at its origin: units sold in its weeks more
   * than {@link #RETURN_HISTORY_LAG} weeks before the origin (see {@link #withReturnHistory}).
   */
  public static final String RETURN_SOLD = "return_sold";

  /** Units of those sales returned before the origin. */
  public static final String RETURN_RETURNED = "return_returned";

  /** Sum over those returned units of (return week − sale week), in weeks. */
  public static final String RETURN_WEEKS_SUM = "return_weeks_sum";

  /** Sum over those sold units of their week's discount. */
  public static final String RETURN_SOLD_DISCOUNT = "return_sold_discount";

  /** Returned ÷ sold of the same history over the origin's market and category. */
  public static final String RETURN_CATEGORY_RATIO = "return_category_ratio";

  /** The units-weighted mean discount of the category's sales in that history. */
  public static final String RETURN_CATEGORY_DISCOUNT = "return_category_discount";

  /**
   * The category season ratios of a row's origin: a map from horizon {@code h} to how the
   * regular sales of its market and category moved a year earlier, from the year-ago weeks of
   * the base level's window to the year-ago week of {@code h}: Σ over the articles with regular
   * rows in both of their mean units around week {@code origin + h − 1 − 52} (±1 week), over Σ of
   * their mean units in weeks {@code origin − 60 … origin − 53}. Regular rows are uncensored, at
   * full price and without a weekly {@code x_*} signal; the same articles on both sides, so
   * launches and exits do not move it. Known when at least {@value #SEASON_MIN_ARTICLES} articles
   * match; only weeks before the origin are read (for {@code h} up to 50). What lets a model see
   * a seasonal turn its training origins of the last year show only once.
   */
  public static final String SEASON_RATIOS = "season_ratios";

  /** Articles that must match on both sides of a {@linkplain #SEASON_RATIOS season ratio}. */
  public static final int SEASON_MIN_ARTICLES = 3;

  /** Weeks in a year, for the year-ago windows of the season ratios. */
  private static final int YEAR_WEEKS = 52;

  /** Weeks after its launch over which an article's launch level is measured. */
  public static final int LAUNCH_WEEKS = 4;

  /**
   * The weekly rows of the last {@link FeatureLayout#RECENT_WEEKS} weeks before the origin,
   * ARRAY&lt;STRUCT&lt;back, units, discount, censored, plain, signals, black_price,
   * stock&gt;&gt; sorted
   * by {@code back} (0 = the week right before the origin); {@code plain}: no weekly {@code x_*}
   * signal of the row is set (null or 0); {@code signals}: its weekly {@code x_*} values.
   */
  public static final String RECENT = "recent_weeks";

  private static final String WK = "_wk";
  private static final String OWK = "_owk";

  /**
   * Origins of the training samples: {@code planWeek - k * originEvery} for {@code k = 1, 2, …}
   * while not before {@code planWeek - trainingWeeks}, oldest first.
   */
  public static List<LocalDate> trainingOrigins(
      LocalDate planWeek, int trainingWeeks, int originEvery) {
    if (trainingWeeks < 1 || originEvery < 1) {
      throw new IllegalArgumentException(
          "Cannot choose training origins: training weeks (%d) and origin step (%d) must be >= 1"
              .formatted(trainingWeeks, originEvery));
    }
    List<LocalDate> origins = new ArrayList<>();
    for (int k = originEvery; k <= trainingWeeks; k += originEvery) {
      origins.add(0, planWeek.minusWeeks(k));
    }
    return origins;
  }

  /**
   * The vocabularies and attribute lists of the features: markets seen in history before
   * {@code planWeek}, categories, brands and {@code c_*} values of the articles table, the
   * article and weekly {@code x_*} columns, and the {@linkplain #referenceElasticity reference
   * elasticity} of that history. Values are sorted, so the layout is deterministic.
   */
  public static FeatureLayout fitLayout(ContractTables tables, LocalDate planWeek) {
    return layoutHistory(tables, planWeek).layoutAt(planWeek);
  }

  /**
   * A data-driven reference elasticity {@code E} (demand ∝ {@code exp(E · discount)}) of the
   * weekly history before {@code planWeek}, for the de-discounted levels: it compares each
   * uncensored week with the uncensored week two weeks earlier of the same (article, market),
   * past its first 3 weeks (the launch ramp) and with the same weekly {@code x_*} signals, groups
   * the pairs by their discount change (0.05 steps), and fits {@code log(Σ units after / Σ units
   * before) = trend + E · change} by weighted least squares over the groups (weights: inverse
   * Poisson variances); with signals but too few such pairs, over all pairs. Skipping a week
   * keeps markdowns triggered by one weak week from inflating E. Clamped to [0, 10]; 0 when the
   * history has no discount changes to learn from.
   */
  public static double referenceElasticity(ContractTables tables, LocalDate planWeek) {
    return layoutHistory(tables, planWeek).referenceElasticity(planWeek);
  }

  /**
   * What {@link #fitLayout} reads from the history, for every plan week up to {@code end} at
   * once (three small Spark queries): the article vocabularies, the first week of each market,
   * and the pairs of the {@linkplain #referenceElasticity reference elasticity} summed by week
   * and discount change.
   */
  public static LayoutHistory layoutHistory(ContractTables tables, LocalDate end) {
    Dataset<Row> articles = tables.articles();
    List<String> columns = new ArrayList<>(List.of(Columns.CATEGORY, Columns.BRAND));
    columns.addAll(prefixed(articles.schema(), Columns.CATEGORICAL_PREFIX));
    List<FeatureLayout.Vocabulary> vocabularies = vocabularies(articles, columns);
    Map<String, Integer> marketFirstWeek = new java.util.TreeMap<>();
    for (Row r :
        history(tables, end)
            .filter(col(Columns.MARKET).isNotNull())
            .groupBy(col(Columns.MARKET).cast(DataTypes.StringType))
            .agg(min(col(WK)))
            .collectAsList()) {
      marketFirstWeek.put(r.getString(0), r.getInt(1));
    }
    List<String> signals = prefixed(tables.weekly().schema(), Columns.NUMERIC_PREFIX);
    return new LayoutHistory(
        vocabularies.get(0),
        vocabularies.get(1),
        vocabularies.subList(2, vocabularies.size()),
        prefixed(articles.schema(), Columns.NUMERIC_PREFIX),
        signals,
        marketFirstWeek,
        elasticityGroups(tables, end, signals));
  }

  /** The elasticity pairs before {@code end}, summed by week, discount change and same signals. */
  private static List<LayoutHistory.PairGroup> elasticityGroups(
      ContractTables tables, LocalDate end, List<String> signals) {
    Dataset<Row> rows =
        history(tables, end)
            .filter(not(col(CENSORED)))
            .withColumn(
                "_first",
                min(col(WK))
                    .over(
                        org.apache.spark.sql.expressions.Window.partitionBy(
                            col(Columns.ARTICLE_ID), col(Columns.MARKET))));
    List<Column> keep = new ArrayList<>();
    keep.add(col(Columns.ARTICLE_ID));
    keep.add(col(Columns.MARKET));
    keep.add(col(WK));
    keep.add(col("_first"));
    keep.add(col(Columns.UNITS_SOLD).cast(DataTypes.DoubleType).as("_u"));
    keep.add(col(Columns.DISCOUNT).cast(DataTypes.DoubleType).as("_d"));
    for (String x : signals) {
      keep.add(coalesce(col(x).cast(DataTypes.DoubleType), lit(0.0)).as("_s_" + x));
    }
    Dataset<Row> after = rows.select(keep.toArray(new Column[0]));
    Dataset<Row> before = after.select(
        Arrays.stream(after.columns())
            .map(c -> c.equals(Columns.ARTICLE_ID) || c.equals(Columns.MARKET)
                ? col(c)
                : c.equals(WK) ? col(c).plus(2).as(WK) : col(c).as("b" + c))
            .toArray(Column[]::new));
    Dataset<Row> pairs =
        after
            .join(before, scalaSeq(Columns.ARTICLE_ID, Columns.MARKET, WK), "inner")
            .filter(col(WK).minus(2).minus(col("_first")).geq(3));
    Column sameSignals = lit(true);
    for (String x : signals) {
      sameSignals = sameSignals.and(col("_s_" + x).equalTo(col("b_s_" + x)));
    }
    List<LayoutHistory.PairGroup> out = new ArrayList<>();
    for (Row g :
        pairs
            .withColumn(
                "_change",
                org.apache.spark.sql.functions.round(col("_d").minus(col("b_d")).multiply(20)))
            .filter(col("_change").isNotNull())
            .groupBy(col(WK), col("_change"), sameSignals.as("_same"))
            .agg(sum(col("_u")), sum(col("b_u")), count(lit(1)))
            .collectAsList()) {
      out.add(
          new LayoutHistory.PairGroup(
              g.getInt(0),
              (int) Math.round(((Number) g.get(1)).doubleValue()),
              g.getBoolean(2),
              g.getDouble(3),
              g.getDouble(4),
              g.getLong(5)));
    }
    return out;
  }

  /** Sorted distinct values of each of {@code columns} (empty for a column the table lacks). */
  private static List<FeatureLayout.Vocabulary> vocabularies(
      Dataset<Row> table, List<String> columns) {
    List<String> present = Arrays.asList(table.columns());
    Column[] sets =
        columns.stream()
            .map(
                c ->
                    present.contains(c)
                        ? collect_set(col(c).cast(DataTypes.StringType))
                        : collect_set(lit(null).cast(DataTypes.StringType)))
            .toArray(Column[]::new);
    Row row = table.agg(sets[0], Arrays.copyOfRange(sets, 1, sets.length)).first();
    List<FeatureLayout.Vocabulary> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      List<String> values = new ArrayList<>(row.<String>getList(i));
      values.sort(null);
      out.add(new FeatureLayout.Vocabulary(columns.get(i), values));
    }
    return out;
  }

  static List<String> prefixed(StructType schema, String prefix) {
    return Arrays.stream(schema.fieldNames()).filter(n -> n.startsWith(prefix)).sorted().toList();
  }

  private static Column weekIndex(Column date) {
    return floor(datediff(date, lit(EPOCH_MONDAY)).divide(7)).cast(DataTypes.IntegerType);
  }

  private static int weekIndex(LocalDate date) {
    return Weeks.between(EPOCH_MONDAY, date);
  }

  private static Column dateOf(Column weekIndex) {
    return date_add(lit(EPOCH_MONDAY), weekIndex.multiply(7));
  }

  /** The weekly {@code x_*} signals of a row as an array of doubles (null reads as 0), sorted. */
  private static Column signalValues(ContractTables tables) {
    List<Column> values = new ArrayList<>();
    for (String x : prefixed(tables.weekly().schema(), Columns.NUMERIC_PREFIX)) {
      values.add(coalesce(col(x).cast(DataTypes.DoubleType), lit(0.0)));
    }
    return values.isEmpty()
        ? org.apache.spark.sql.functions.array().cast(
            DataTypes.createArrayType(DataTypes.DoubleType))
        : org.apache.spark.sql.functions.array(values.toArray(new Column[0]));
  }

  /** Whether a weekly row is plain: none of its weekly {@code x_*} signals is set (null or 0). */
  private static Column plain(ContractTables tables) {
    Column plain = lit(true);
    for (String x : prefixed(tables.weekly().schema(), Columns.NUMERIC_PREFIX)) {
      plain = plain.and(coalesce(col(x).cast(DataTypes.DoubleType), lit(0.0)).equalTo(0.0));
    }
    return plain;
  }

  /** Weekly rows strictly before {@code planWeek}, with a week index and the censored flag. */
  private static Dataset<Row> history(ContractTables tables, LocalDate planWeek) {
    Dataset<Row> weekly = tables.weekly();
    Column stock = col(Columns.STOCK_ON_HAND);
    return weekly
        .filter(col(Columns.WEEK).lt(lit(planWeek)))
        .withColumn(WK, weekIndex(col(Columns.WEEK)))
        .withColumn(
            CENSORED, stock.isNotNull().and(col(Columns.UNITS_SOLD).geq(stock)));
  }

  private static String intArray(List<LocalDate> origins) {
    if (origins.isEmpty()) {
      throw new IllegalArgumentException("Cannot build features: no forecast origins given");
    }
    return origins.stream()
        .map(o -> String.valueOf(weekIndex(o)))
        .collect(Collectors.joining(",", "array(", ")"));
  }

  private static void checkOrigins(List<LocalDate> origins, LocalDate planWeek) {
    for (LocalDate o : origins) {
      if (!Weeks.isMonday(o) || o.isAfter(planWeek)) {
        throw new IllegalArgumentException(
            "Cannot build features: origin %s must be a Monday not after the plan week %s"
                .formatted(o, planWeek));
      }
    }
  }

  /**
   * The history state of every (article, market) at every origin at which it has weekly rows
   * before the origin: {@code article_id, market, origin, weeks_on_sale, cumulative_units,
   * units_1, units_4, units_8, live_discount, discount_4, discount_8, origin_black_price,
   * stock_at_origin, first_seen, recent_weeks}. Only rows with {@code week < origin} and {@code
   * week < planWeek} are read.
   */
  public static Dataset<Row> originStates(
      ContractTables tables, LocalDate planWeek, List<LocalDate> origins) {
    checkOrigins(origins, planWeek);
    Dataset<Row> exploded =
        history(tables, planWeek)
            .withColumn(
                OWK, expr("explode(filter(" + intArray(origins) + ", o -> o > " + WK + "))"));
    Column wk = col(WK);
    Column owk = col(OWK);
    Column units = col(Columns.UNITS_SOLD);
    Column uncensored = org.apache.spark.sql.functions.not(col(CENSORED));
    Column plain = plain(tables);
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as(WEEKS_ON_SALE));
    aggs.add(sum(units).cast(DataTypes.DoubleType).as(CUMULATIVE_UNITS));
    for (int k : new int[] {1, 4, 8}) {
      Column in = wk.geq(owk.minus(k));
      aggs.add(
          coalesce(avg(when(in.and(uncensored), units)), avg(when(in, units)))
              .as("units_" + k));
    }
    aggs.add(avg(when(wk.geq(owk.minus(4)), col(Columns.DISCOUNT))).as(DISCOUNT_4));
    aggs.add(avg(when(wk.geq(owk.minus(8)), col(Columns.DISCOUNT))).as(DISCOUNT_8));
    aggs.add(max(struct(wk, col(Columns.DISCOUNT), col(Columns.BLACK_PRICE))).as("_last"));
    aggs.add(
        max(when(
                col(Columns.STOCK_ON_HAND).isNotNull(),
                struct(wk, col(Columns.STOCK_ON_HAND), units)))
            .as("_stock"));
    aggs.add(min(col(Columns.WEEK)).as(FIRST_SEEN));
    aggs.add(
        array_sort(
                collect_list(
                    when(
                        wk.geq(owk.minus(FeatureLayout.RECENT_WEEKS)),
                        struct(
                            owk.minus(wk).minus(1).as("back"),
                            units.cast(DataTypes.DoubleType).as("units"),
                            col(Columns.DISCOUNT).cast(DataTypes.DoubleType).as("discount"),
                            col(CENSORED).as("censored"),
                            plain.as("plain"),
                            signalValues(tables).as("signals"),
                            col(Columns.BLACK_PRICE)
                                .cast(DataTypes.DoubleType)
                                .as("black_price"),
                            col(Columns.STOCK_ON_HAND)
                                .cast(DataTypes.DoubleType)
                                .as("stock"),
                            fulfillmentCost(tables).as("cost")))))
            .as(RECENT));
    return exploded
        .groupBy(col(Columns.ARTICLE_ID), col(Columns.MARKET), owk)
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
        .select(
            col(Columns.ARTICLE_ID),
            col(Columns.MARKET),
            owk,
            dateOf(owk).as(ORIGIN),
            col(WEEKS_ON_SALE),
            col(CUMULATIVE_UNITS),
            col(UNITS_1),
            col(UNITS_4),
            col(UNITS_8),
            col("_last." + Columns.DISCOUNT).as(LIVE_DISCOUNT),
            col(DISCOUNT_4),
            col(DISCOUNT_8),
            col("_last." + Columns.BLACK_PRICE).as(ORIGIN_BLACK_PRICE),
            when(
                    col("_stock").isNotNull(),
                    greatest(
                        col("_stock." + Columns.STOCK_ON_HAND)
                            .minus(col("_stock." + Columns.UNITS_SOLD)),
                        lit(0L)))
                .cast(DataTypes.DoubleType)
                .as(STOCK_AT_ORIGIN),
            col(FIRST_SEEN),
            col(RECENT));
  }

  /** The weekly rows' {@code fulfillment_cost} as a double; null where the table has none. */
  private static Column fulfillmentCost(ContractTables tables) {
    return Arrays.asList(tables.weekly().columns()).contains(Columns.FULFILLMENT_COST)
        ? col(Columns.FULFILLMENT_COST).cast(DataTypes.DoubleType)
        : lit(null).cast(DataTypes.DoubleType);
  }

  private static Dataset<Row> articleAttributes(ContractTables tables) {
    Dataset<Row> articles = tables.articles();
    List<Column> cols = new ArrayList<>();
    for (String c :
        List.of(
            Columns.ARTICLE_ID,
            Columns.CATEGORY,
            Columns.BRAND,
            Columns.UNIT_COST,
            Columns.FIRST_WEEK,
            Columns.EXIT_WEEK)) {
      cols.add(
          Arrays.asList(articles.columns()).contains(c) ? col(c) : lit(null).as(c));
    }
    for (String c : prefixed(articles.schema(), Columns.CATEGORICAL_PREFIX)) {
      cols.add(col(c));
    }
    for (String c : prefixed(articles.schema(), Columns.NUMERIC_PREFIX)) {
      cols.add(col(c));
    }
    return articles.select(cols.toArray(new Column[0]));
  }

  /**
   * Training samples of the direct multi-horizon design: one row per (article, market, origin,
   * target week) with {@code origin <= week < origin + horizon} and {@code week < planWeek}. Each
   * row carries the target week's observed values ({@code week, h, discount, black_price,
   * units_sold, stock_on_hand, censored, fulfillment_cost}, {@code signal_x_*}), the origin state
   * ({@link #originStates}, unknown when there is no history before the origin) and the article
   * attributes. The target week's own values are targets, never features: an (article, market)
   * without rows before the origin has unknown history features, its black price included.
   */
  public static Dataset<Row> trainingSamples(
      ContractTables tables, LocalDate planWeek, List<LocalDate> origins, int horizon) {
    checkOrigins(origins, planWeek);
    if (horizon < 1) {
      throw new IllegalArgumentException(
          "Cannot build training samples: horizon (%d) must be >= 1".formatted(horizon));
    }
    Dataset<Row> weekly = tables.weekly();
    List<Column> targetCols = new ArrayList<>();
    targetCols.add(col(Columns.ARTICLE_ID));
    targetCols.add(col(Columns.MARKET));
    targetCols.add(col(OWK));
    targetCols.add(col(Columns.WEEK));
    targetCols.add(col(WK).minus(col(OWK)).plus(1).as(H));
    targetCols.add(col(Columns.DISCOUNT));
    targetCols.add(col(Columns.BLACK_PRICE));
    targetCols.add(col(Columns.UNITS_SOLD));
    targetCols.add(col(Columns.STOCK_ON_HAND));
    targetCols.add(col(CENSORED));
    targetCols.add(fulfillmentCost(tables).as(Columns.FULFILLMENT_COST));
    for (String x : prefixed(weekly.schema(), Columns.NUMERIC_PREFIX)) {
      targetCols.add(col(x).as(SIGNAL_PREFIX + x));
    }
    Dataset<Row> targets =
        history(tables, planWeek)
            .withColumn(
                OWK,
                expr(
                    "explode(filter(%s, o -> o <= %s AND o > %s - %d))"
                        .formatted(intArray(origins), WK, WK, horizon)))
            .select(targetCols.toArray(new Column[0]));
    // Everything but the target week's own values belongs to the (article, market, origin):
    // built once per origin state, then joined to its target weeks (a few times as many rows),
    // so the wide states are shuffled once instead of once per join.
    Dataset<Row> keys =
        targets.select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(OWK)).distinct();
    Dataset<Row> states = originStates(tables, planWeek, origins).drop(ORIGIN);
    Dataset<Row> known =
        keys.join(states, scalaSeq(Columns.ARTICLE_ID, Columns.MARKET, OWK), "left")
            .join(articleAttributes(tables), scalaSeq(Columns.ARTICLE_ID), "left");
    Dataset<Row> perOrigin =
        withReturnHistory(
            withSeasonRatios(
                withLaunchPriors(known, tables, planWeek, origins),
                tables,
                planWeek,
                origins,
                horizon),
            tables,
            planWeek,
            origins);
    return targets
        .join(perOrigin, scalaSeq(Columns.ARTICLE_ID, Columns.MARKET, OWK), "left")
        .withColumn(ORIGIN, dateOf(col(OWK)))
        .drop(OWK);
  }

  /**
   * The launch priors of every origin: for each (origin, market, category, brand), the mean over
   * the articles of that category and brand whose launch the history shows (their first weekly
   * row in the market is their {@code first_week}, or within a week of it, or they have none) and
   * whose first {@link #LAUNCH_WEEKS} weeks are all before the origin, of their mean units in
   * those weeks; and the same per (origin, market, category). Columns {@code _owk, market,
   * _category, _brand, launch_prior_brand} and {@code _owk, market, _category,
   * launch_prior_category}. What an article without history is forecast from, beside its
   * attributes: how articles like it started.
   */
  private static Dataset<Row>[] launchPriors(
      ContractTables tables, LocalDate planWeek, List<LocalDate> origins) {
    Dataset<Row> h =
        history(tables, planWeek)
            .withColumn(
                "_first",
                min(col(WK))
                    .over(
                        org.apache.spark.sql.expressions.Window.partitionBy(
                            col(Columns.ARTICLE_ID), col(Columns.MARKET))))
            .filter(col(WK).lt(col("_first").plus(LAUNCH_WEEKS)));
    Dataset<Row> articles = articleAttributes(tables);
    Dataset<Row> launches =
        h.groupBy(col(Columns.ARTICLE_ID), col(Columns.MARKET))
            .agg(
                min(col(WK)).as("_first"),
                avg(col(Columns.UNITS_SOLD)).as("_launch_units"))
            .join(articles, scalaSeq(Columns.ARTICLE_ID), "left")
            .filter(
                col(Columns.FIRST_WEEK)
                    .isNull()
                    .or(col("_first").leq(weekIndex(col(Columns.FIRST_WEEK)).plus(1))))
            .withColumn(
                OWK,
                expr(
                    "explode(filter(%s, o -> o >= _first + %d))"
                        .formatted(intArray(origins), LAUNCH_WEEKS)))
            .select(
                col(OWK),
                col(Columns.MARKET),
                coalesce(col(Columns.CATEGORY).cast(DataTypes.StringType), lit("")).as("_category"),
                coalesce(col(Columns.BRAND).cast(DataTypes.StringType), lit("")).as("_brand"),
                col("_launch_units"));
    @SuppressWarnings("unchecked")
    Dataset<Row>[] out = new Dataset[2];
    out[0] =
        launches
            .groupBy(col(OWK), col(Columns.MARKET), col("_category"), col("_brand"))
            .agg(avg(col("_launch_units")).as(LAUNCH_PRIOR_BRAND));
    out[1] =
        launches
            .groupBy(col(OWK), col(Columns.MARKET), col("_category"))
            .agg(avg(col("_launch_units")).as(LAUNCH_PRIOR_CATEGORY));
    return out;
  }

  /**
   * {@code rows} (with {@code _owk}, market, category and brand) with the launch priors of their
   * origin (null where no article like them launched before it).
   */
  private static Dataset<Row> withLaunchPriors(
      Dataset<Row> rows, ContractTables tables, LocalDate planWeek, List<LocalDate> origins) {
    Dataset<Row>[] priors = launchPriors(tables, planWeek, origins);
    Dataset<Row> keyed =
        rows.withColumn(
                "_category", coalesce(col(Columns.CATEGORY).cast(DataTypes.StringType), lit("")))
            .withColumn("_brand", coalesce(col(Columns.BRAND).cast(DataTypes.StringType), lit("")));
    return keyed
        .join(priors[0], scalaSeq(OWK, Columns.MARKET, "_category", "_brand"), "left")
        .join(priors[1], scalaSeq(OWK, Columns.MARKET, "_category"), "left")
        .drop("_category", "_brand");
  }

  /**
   * {@code rows} (with {@code _owk}, market and category) with the {@linkplain #SEASON_RATIOS
   * season ratios} of their origin's market and category for {@code h = 1 … horizon} (null where
   * none is known).
   */
  private static Dataset<Row> withSeasonRatios(
      Dataset<Row> rows,
      ContractTables tables,
      LocalDate planWeek,
      List<LocalDate> origins,
      int horizon) {
    Column plain = plain(tables);
    Dataset<Row> regular =
        history(tables, planWeek)
            .filter(not(col(CENSORED)).and(col(Columns.DISCOUNT).lt(0.005)).and(plain))
            .select(
                col(Columns.ARTICLE_ID),
                col(Columns.MARKET),
                col(WK),
                col(Columns.UNITS_SOLD).cast(DataTypes.DoubleType).as("_u"));
    int year = YEAR_WEEKS;
    Dataset<Row> before =
        regular
            .withColumn(
                OWK,
                expr(
                    "explode(filter(%s, o -> %s >= o - %d AND %s <= o - %d))"
                        .formatted(intArray(origins), WK, year + 8, WK, year + 1)))
            .groupBy(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(OWK))
            .agg(avg(col("_u")).as("_before"));
    // The year-ago week of h is origin + h - 1 - 52; a row counts for the h within a week of it.
    Dataset<Row> ahead =
        regular
            .withColumn(
                OWK,
                expr(
                    "explode(filter(%s, o -> %s >= o - %d AND %s <= o + %d - %d))"
                        .formatted(intArray(origins), WK, year + 1, WK, horizon, year)))
            .withColumn(
                H,
                expr(
                    "explode(sequence(greatest(1, %s - %s + %d), least(%d, %s - %s + %d)))"
                        .formatted(WK, OWK, year, horizon, WK, OWK, year + 2)))
            .filter(col(H).leq(lit(year - 2)))
            .groupBy(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(OWK), col(H))
            .agg(avg(col("_u")).as("_ahead"));
    Dataset<Row> categories =
        tables
            .articles()
            .select(
                col(Columns.ARTICLE_ID),
                coalesce(col(Columns.CATEGORY).cast(DataTypes.StringType), lit(""))
                    .as("_category"));
    Dataset<Row> ratios =
        ahead
            .join(before, scalaSeq(Columns.ARTICLE_ID, Columns.MARKET, OWK))
            .join(categories, scalaSeq(Columns.ARTICLE_ID))
            .groupBy(col(OWK), col(Columns.MARKET), col("_category"), col(H))
            .agg(sum(col("_ahead")).as("_a"), sum(col("_before")).as("_b"), count(lit(1)).as("_n"))
            .filter(col("_n").geq(SEASON_MIN_ARTICLES).and(col("_b").gt(0)))
            .groupBy(col(OWK), col(Columns.MARKET), col("_category"))
            .agg(
                map_from_entries(collect_list(struct(col(H), col("_a").divide(col("_b")))))
                    .as(SEASON_RATIOS));
    return rows.withColumn(
            "_category", coalesce(col(Columns.CATEGORY).cast(DataTypes.StringType), lit("")))
        .join(ratios, scalaSeq(OWK, Columns.MARKET, "_category"), "left")
        .drop("_category");
  }

  /**
   * {@code rows} (with {@code _owk}, article, market and category) with the return history of
   * their (article, market) at their origin: {@link #RETURN_SOLD}, the units sold in weeks more
   * than {@link #RETURN_HISTORY_LAG} weeks before the origin (whose returns have mostly come
   * back), with {@link #RETURN_SOLD_DISCOUNT} the discounts they sold at, {@link #RETURN_RETURNED}
   * and {@link #RETURN_WEEKS_SUM} of their returns that came back before the origin, and {@link
   * #RETURN_CATEGORY_RATIO} and {@link #RETURN_CATEGORY_DISCOUNT}, returned ÷ sold and the mean
   * discount of the same history over every article of the origin's market and category. Nothing
   * at or after the origin is read. Without a {@code returns/} table the rows are returned as
   * they are (no history known).
   */
  private static Dataset<Row> withReturnHistory(
      Dataset<Row> rows, ContractTables tables, LocalDate planWeek, List<LocalDate> origins) {
    if (tables.returns().isEmpty()) {
      return rows;
    }
    Dataset<Row> sold =
        history(tables, planWeek)
            .withColumn(
                OWK,
                expr(
                    "explode(filter(%s, o -> o > %s + %d))"
                        .formatted(intArray(origins), WK, RETURN_HISTORY_LAG)))
            .groupBy(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(OWK))
            .agg(
                sum(col(Columns.UNITS_SOLD)).cast(DataTypes.DoubleType).as(RETURN_SOLD),
                sum(col(Columns.UNITS_SOLD).multiply(col(Columns.DISCOUNT)))
                    .cast(DataTypes.DoubleType)
                    .as(RETURN_SOLD_DISCOUNT));
    Column saleWk = weekIndex(col(Columns.SALE_WEEK));
    Column returnWk = weekIndex(col(Columns.RETURN_WEEK));
    Dataset<Row> returned =
        tables
            .returns()
            .get()
            .filter(col(Columns.RETURN_WEEK).lt(lit(planWeek)))
            .select(
                col(Columns.ARTICLE_ID),
                col(Columns.MARKET),
                saleWk.as("_swk"),
                returnWk.as("_rwk"),
                col(Columns.UNITS).cast(DataTypes.DoubleType).as("_units"))
            .withColumn(
                OWK,
                expr(
                    "explode(filter(%s, o -> o > _swk + %d AND o > _rwk))"
                        .formatted(intArray(origins), RETURN_HISTORY_LAG)))
            .groupBy(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(OWK))
            .agg(
                sum(col("_units")).as(RETURN_RETURNED),
                sum(col("_units").multiply(col("_rwk").minus(col("_swk")))).as(RETURN_WEEKS_SUM));
    Dataset<Row> own =
        sold.join(returned, scalaSeq(Columns.ARTICLE_ID, Columns.MARKET, OWK), "left")
            .withColumn(RETURN_RETURNED, coalesce(col(RETURN_RETURNED), lit(0.0)))
            .withColumn(RETURN_WEEKS_SUM, coalesce(col(RETURN_WEEKS_SUM), lit(0.0)));
    Dataset<Row> byCategory =
        own.join(articleAttributes(tables), scalaSeq(Columns.ARTICLE_ID), "left")
            .groupBy(
                col(OWK),
                col(Columns.MARKET),
                coalesce(col(Columns.CATEGORY).cast(DataTypes.StringType), lit("")).as("_category"))
            .agg(
                when(
                        sum(col(RETURN_SOLD)).gt(0),
                        sum(col(RETURN_RETURNED)).divide(sum(col(RETURN_SOLD))))
                    .as(RETURN_CATEGORY_RATIO),
                when(
                        sum(col(RETURN_SOLD)).gt(0),
                        sum(col(RETURN_SOLD_DISCOUNT)).divide(sum(col(RETURN_SOLD))))
                    .as(RETURN_CATEGORY_DISCOUNT));
    return rows.withColumn(
            "_category", coalesce(col(Columns.CATEGORY).cast(DataTypes.StringType), lit("")))
        .join(own, scalaSeq(Columns.ARTICLE_ID, Columns.MARKET, OWK), "left")
        .join(byCategory, scalaSeq(OWK, Columns.MARKET, "_category"), "left")
        .drop("_category");
  }

  /**
   * Scoring inputs at origin {@code planWeek}: one row per row of {@code planState} (see
   * {@link PlanState}), with its origin state (unknown for an (article, market) without weekly
   * rows before the plan week, which is then forecast from its attributes), its article
   * attributes and {@code
   * future_signals}: the layout's weekly {@code x_*} signals, in its order, that the dataset
   * supplies for the horizon weeks (by {@code h}); weeks or signals it does not supply count as
   * 0. Only those signals are read from
   * rows at or after the plan week.
   */
  public static Dataset<Row> scoringInputs(
      ContractTables tables,
      Dataset<Row> planState,
      LocalDate planWeek,
      int horizon,
      FeatureLayout layout) {
    Dataset<Row> states =
        originStates(tables, planWeek, List.of(planWeek))
            .drop(ORIGIN, OWK);
    Dataset<Row> plan =
        planState.select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(PlanState.STOCK_START));
    Dataset<Row> withPriors =
        withLaunchPriors(
            plan.join(states, scalaSeq(Columns.ARTICLE_ID, Columns.MARKET), "left")
                .join(articleAttributes(tables), scalaSeq(Columns.ARTICLE_ID), "left")
                .withColumn(OWK, lit(weekIndex(planWeek))),
            tables,
            planWeek,
            List.of(planWeek));
    Dataset<Row> inputs =
        withReturnHistory(
                withSeasonRatios(withPriors, tables, planWeek, List.of(planWeek), horizon),
                tables,
                planWeek,
                List.of(planWeek))
            .drop(OWK);
    List<String> signals = layout.spec().weeklySignals();
    if (signals.isEmpty()) {
      return inputs;
    }
    List<String> present = Arrays.asList(tables.weekly().columns());
    Column[] values =
        signals.stream()
            .map(
                s ->
                    present.contains(s)
                        ? coalesce(col(s).cast(DataTypes.DoubleType), lit(0.0))
                        : lit(0.0))
            .toArray(Column[]::new);
    Dataset<Row> future =
        tables
            .weekly()
            .filter(
                col(Columns.WEEK)
                    .geq(lit(planWeek))
                    .and(col(Columns.WEEK).lt(lit(planWeek.plusWeeks(horizon)))))
            .select(
                col(Columns.ARTICLE_ID),
                col(Columns.MARKET),
                struct(
                        weekIndex(col(Columns.WEEK)).minus(weekIndex(planWeek) - 1).as("h"),
                        org.apache.spark.sql.functions.array(values).as("v"))
                    .as("_e"))
            .groupBy(Columns.ARTICLE_ID, Columns.MARKET)
            .agg(map_from_entries(collect_list(col("_e"))).as(FUTURE_SIGNALS));
    return inputs.join(future, scalaSeq(Columns.ARTICLE_ID, Columns.MARKET), "left");
  }

  /**
   * One row per (article, market) with weekly rows before {@code planWeek}: its origin state at
   * {@code planWeek} and its article attributes (what the article-level targets read).
   */
  public static Dataset<Row> articleStates(ContractTables tables, LocalDate planWeek) {
    return originStates(tables, planWeek, List.of(planWeek))
        .drop(ORIGIN, OWK)
        .join(articleAttributes(tables), scalaSeq(Columns.ARTICLE_ID), "left");
  }

  /**
   * {@code rows} (with the columns of {@link #articleStates}) with a {@code features} column
   * holding the layout's article block only.
   */
  public static Dataset<Row> withArticleFeatures(Dataset<Row> rows, FeatureLayout layout) {
    StructType schema = rows.schema();
    OriginStateReader reader = new OriginStateReader(schema, layout);
    int width = layout.articleWidth();
    return appendFeatures(
        rows,
        () -> r -> {
          float[] f = new float[width];
          layout.fillArticle(f, 0, reader.state(r));
          return f;
        });
  }

  /** Encodes one row into a feature vector. */
  private interface Encoder {
    float[] encode(Row row);
  }

  /** A partition's {@link Encoder} (which may keep what the partition's rows share). */
  private interface EncoderFactory extends java.io.Serializable {
    Encoder create();
  }

  private static Dataset<Row> appendFeatures(Dataset<Row> rows, EncoderFactory encoders) {
    return appendFeatures(rows, List.of(rows.columns()), encoders);
  }

  /**
   * The columns {@code keep} of {@code rows} and a {@code features} column; the other columns
   * (the wide origin states among them) are read by the encoder and not written out again.
   */
  private static Dataset<Row> appendFeatures(
      Dataset<Row> rows, List<String> keep, EncoderFactory encoders) {
    StructType in = rows.schema();
    int[] kept = keep.stream().mapToInt(in::fieldIndex).toArray();
    StructType out = new StructType();
    for (int k : kept) {
      out = out.add(in.fields()[k]);
    }
    out = out.add(FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    MapPartitionsFunction<Row, Row> encode =
        (Iterator<Row> it) -> {
          Encoder encoder = encoders.create();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public Row next() {
              Row r = it.next();
              Object[] values = new Object[kept.length + 1];
              for (int i = 0; i < kept.length; i++) {
                values[i] = r.get(kept[i]);
              }
              values[kept.length] = encoder.encode(r);
              return RowFactory.create(values);
            }
          };
        };
    return rows.mapPartitions(encode, Encoders.row(out));
  }

  /**
   * {@code rows} (training samples) with a {@code features} column: the layout's vector for the
   * row's origin state, horizon, target week, discount and weekly signals. Computed in the
   * partitions with the same encoder that scoring uses.
   */
  public static Dataset<Row> withFeatures(Dataset<Row> rows, FeatureLayout layout) {
    return withFeatures(rows, layout, List.of(rows.columns()));
  }

  /**
   * As {@link #withFeatures(Dataset, FeatureLayout)}, keeping only the columns {@code keep} (in
   * that order) beside {@code features}: the origin states are read once, not carried on.
   */
  public static Dataset<Row> withFeatures(
      Dataset<Row> rows, FeatureLayout layout, List<String> keep) {
    StructType schema = rows.schema();
    OriginStateReader reader = new OriginStateReader(schema, layout);
    int h = schema.fieldIndex(H);
    int week = schema.fieldIndex(Columns.WEEK);
    int discount = schema.fieldIndex(Columns.DISCOUNT);
    int article = schema.fieldIndex(Columns.ARTICLE_ID);
    int market = schema.fieldIndex(Columns.MARKET);
    int origin = schema.fieldIndex(ORIGIN);
    int width = layout.width();
    return appendFeatures(
        rows,
        keep,
        () -> {
          // The rows of one (article, market) come together (the samples are sorted or joined on
          // it); each of its origin states is read and its blocks built once for all its weeks.
          Map<Object, FeatureLayout.StateBlock> blocks = new HashMap<>();
          Object[] series = new Object[2];
          return r -> {
            if (!r.get(article).equals(series[0]) || !r.get(market).equals(series[1])) {
              blocks.clear();
              series[0] = r.get(article);
              series[1] = r.get(market);
            }
            FeatureLayout.StateBlock block =
                blocks.computeIfAbsent(r.get(origin), o -> layout.block(reader.state(r)));
            float[] f = new float[width];
            layout.fill(
                f,
                0,
                block,
                ((Number) r.get(h)).intValue(),
                Weeks.toLocalDate(r.get(week)),
                ((Number) r.get(discount)).doubleValue(),
                reader.sampleSignals(r));
            return f;
          };
        });
  }

  static scala.collection.immutable.Seq<String> scalaSeq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(names)).toList();
  }
}
