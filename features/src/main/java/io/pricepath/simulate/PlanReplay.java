package io.pricepath.simulate;

import static io.pricepath.contract.Columns.ARTICLE_ID;
import static io.pricepath.contract.Columns.DISCOUNT;
import static io.pricepath.contract.Columns.FULFILLMENT_COST;
import static io.pricepath.contract.Columns.MARKET;
import static io.pricepath.contract.Columns.RESIDUAL_VALUE;
import static io.pricepath.contract.Columns.WEEK;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.pricepath.contract.Weeks;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The Spark side of {@link GroundTruth#simulate}: validates a plan and replays it per article-market. */
final class PlanReplay {
  private PlanReplay() {}

  static final StructType OUTCOME =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(ARTICLE_ID, DataTypes.StringType, false),
            DataTypes.createStructField(MARKET, DataTypes.StringType, false),
            DataTypes.createStructField(WEEK, DataTypes.DateType, false),
            DataTypes.createStructField(DISCOUNT, DataTypes.DoubleType, false),
            DataTypes.createStructField("price", DataTypes.DoubleType, false),
            DataTypes.createStructField("stock_start", DataTypes.DoubleType, false),
            DataTypes.createStructField("returns_in", DataTypes.DoubleType, false),
            DataTypes.createStructField("units", DataTypes.DoubleType, false),
            DataTypes.createStructField("returns", DataTypes.DoubleType, false),
            DataTypes.createStructField("revenue", DataTypes.DoubleType, false),
            DataTypes.createStructField(FULFILLMENT_COST, DataTypes.DoubleType, false),
            DataTypes.createStructField("profit", DataTypes.DoubleType, false),
            DataTypes.createStructField("stock_end", DataTypes.DoubleType, false),
            DataTypes.createStructField(RESIDUAL_VALUE, DataTypes.DoubleType, false)
          });

  static PlanOutcome run(
      SparkSession spark, GroundTruth truth, Dataset<Row> plan, long seed, boolean expected) {
    LocalDate planWeek = truth.planWeek();
    List<String> columns = Arrays.asList(plan.columns());
    for (String required : List.of(ARTICLE_ID, MARKET, WEEK, DISCOUNT)) {
      if (!columns.contains(required)) {
        throw new IllegalArgumentException(
            "Cannot simulate plan: column %s is missing (plan columns: %s)"
                .formatted(required, String.join(", ", columns)));
      }
    }
    Column promo =
        columns.contains(SimulatedTables.X_PROMO)
            ? org.apache.spark.sql.functions.coalesce(col(SimulatedTables.X_PROMO).cast("double"), lit(0.0))
            : lit(0.0);
    Dataset<Row> steps =
        plan.select(
            col(ARTICLE_ID).cast("string").as(ARTICLE_ID),
            col(MARKET).cast("string").as(MARKET),
            col(WEEK).cast("date").as(WEEK),
            col(DISCOUNT).cast("double").as(DISCOUNT),
            promo.as(SimulatedTables.X_PROMO));

    Column offset = datediff(col(WEEK), lit(planWeek));
    Dataset<Row> badRows =
        steps.filter(
            col(ARTICLE_ID).isNull()
                .or(col(MARKET).isNull())
                .or(col(WEEK).isNull())
                .or(col(DISCOUNT).isNull())
                .or(col(DISCOUNT).lt(0))
                .or(col(DISCOUNT).geq(1))
                .or(offset.lt(0))
                .or(offset.mod(7).notEqual(0)));
    List<Row> bad = badRows.limit(1).collectAsList();
    if (!bad.isEmpty()) {
      Row r = bad.get(0);
      throw new IllegalArgumentException(
          ("Cannot simulate plan: row (article_id=%s, market=%s, week=%s, discount=%s) is invalid;"
                  + " keys must be set, discount in [0, 1) and week a Monday from the plan week %s on"
                  + " (%d invalid rows)")
              .formatted(r.get(0), r.get(1), r.get(2), r.get(3), planWeek, badRows.count()));
    }

    Dataset<Row> grouped =
        steps
            .groupBy(col(ARTICLE_ID), col(MARKET))
            .agg(
                count(lit(1)).as("n"),
                countDistinct(col(WEEK)).as("distinct_weeks"),
                min(col(WEEK)).as("first_plan_week"),
                max(col(WEEK)).as("last_plan_week"),
                collect_list(struct(col(WEEK), col(DISCOUNT), col(SimulatedTables.X_PROMO))).as("steps"));
    Dataset<Row> joined = grouped.join(truth.parameters(), new String[] {ARTICLE_ID, MARKET}, "left");
    Column gap =
        datediff(col("last_plan_week"), col("first_plan_week")).divide(7).plus(1).notEqual(col("n"));
    Dataset<Row> badGroups =
        joined
            .filter(
                col("article_index").isNull()
                    .or(col("n").notEqual(col("distinct_weeks")))
                    .or(col("first_plan_week").notEqual(lit(planWeek)))
                    .or(gap))
            .select(
                col(ARTICLE_ID), col(MARKET), col("article_index"), col("n"), col("distinct_weeks"),
                col("first_plan_week"), col("last_plan_week"));
    List<Row> badGroup = badGroups.limit(1).collectAsList();
    if (!badGroup.isEmpty()) {
      Row r = badGroup.get(0);
      String key = "article %s in market %s".formatted(r.get(0), r.get(1));
      if (r.isNullAt(2)) {
        throw new IllegalArgumentException(
            "Cannot simulate plan: %s has no ground truth in %s (plan only keys of its articles/ and weekly/)"
                .formatted(key, truth.root()));
      }
      if (r.getLong(3) != r.getLong(4)) {
        throw new IllegalArgumentException(
            "Cannot simulate plan: %s has duplicate weeks (%d rows for %d weeks)"
                .formatted(key, r.getLong(3), r.getLong(4)));
      }
      throw new IllegalArgumentException(
          ("Cannot simulate plan: weeks of %s must run consecutively from the plan week %s"
                  + " (%d weeks from %s to %s)")
              .formatted(
                  key, planWeek, r.getLong(3), Weeks.toLocalDate(r.get(5)), Weeks.toLocalDate(r.get(6))));
    }

    JavaRDD<Row> rows =
        joined.javaRDD().flatMap(row -> replay(row, planWeek, seed, expected).iterator());
    Dataset<Row> outcome = spark.createDataFrame(rows, OUTCOME);
    Column first = col(WEEK).equalTo(lit(planWeek));
    Row t =
        outcome
            .agg(
                sum(when(first, 1).otherwise(0)),
                sum(when(first, col("stock_start").minus(col("returns_in"))).otherwise(0.0)),
                sum(col("units")),
                sum(col("returns")),
                sum(col("revenue")),
                sum(col(FULFILLMENT_COST)),
                sum(col("profit")),
                sum(col(RESIDUAL_VALUE)))
            .first();
    long articleMarkets = t.isNullAt(0) ? 0 : t.getLong(0);
    double startingStock = value(t, 1);
    double units = value(t, 2);
    PlanTotals totals =
        new PlanTotals(
            articleMarkets,
            startingStock,
            units,
            value(t, 3),
            value(t, 4),
            value(t, 5),
            value(t, 6),
            value(t, 7),
            startingStock > 0 ? units / startingStock : 0);
    return new PlanOutcome(outcome, totals);
  }

  private static double value(Row row, int i) {
    return row.isNullAt(i) ? 0 : row.getDouble(i);
  }

  private static List<Row> replay(Row row, LocalDate planWeek, long seed, boolean expected) {
    TruthParams truth = SimulatedTables.truthParams(row);
    List<Row> steps = new ArrayList<>(row.<Row>getList(row.fieldIndex("steps")));
    steps.sort(Comparator.comparing(s -> Weeks.toLocalDate(s.get(0))));
    double[] discount = new double[steps.size()];
    double[] promo = new double[steps.size()];
    for (int i = 0; i < discount.length; i++) {
      discount[i] = steps.get(i).getDouble(1);
      promo[i] = steps.get(i).getDouble(2);
    }
    SplittableRandom rng =
        expected
            ? null
            : new SplittableRandom(Sampling.mix(seed, truth.articleIndex(), truth.marketIndex(), 7));
    PlanSimulator.Outcome o = PlanSimulator.simulate(truth, planWeek, discount, promo, rng);
    List<Row> out = new ArrayList<>(discount.length);
    for (int i = 0; i < discount.length; i++) {
      out.add(
          RowFactory.create(
              truth.articleId(), truth.market(), planWeek.plusWeeks(i), discount[i],
              truth.blackPrice() * (1 - discount[i]), o.stockStart()[i], o.returnsIn()[i],
              o.units()[i], o.returns()[i], o.revenue()[i], o.fulfillmentCost()[i], o.profit()[i],
              o.stockEnd()[i], o.residualValue()[i]));
    }
    return out;
  }
}
