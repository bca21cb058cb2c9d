package io.pricepath.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricepath.contract.Columns;
import io.pricepath.contract.SparkSessions;
import io.pricepath.features.PlanState;
import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.weekly.RunSummary;
import io.pricepath.jobs.weekly.WeeklyRun;
import io.pricepath.simulate.MarketSimulator;
import io.pricepath.simulate.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weekly job with stock shared across markets and per-article rule columns in articles/, on a
 * small generated market: what an article's markets sell together never exceeds their pool, and
 * the articles' own rules hold in the recommendations.
 */
class SharedStockIT {
  static final int HORIZON = 6;

  @TempDir static Path dir;
  static SparkSession spark;
  static String out;
  static RunSummary summary;
  static String console;
  /** Articles given rule_max_discount = 0.2, and those given rule_locked_discount = 0.3. */
  static List<String> capped;
  static List<String> locked;

  @BeforeAll
  static void generateAndRun() throws Exception {
    spark = SparkSessions.local("shared-stock-it", 2, 4);
    String data = dir.resolve("data").toString();
    out = dir.resolve("run").toString();
    MarketSimulator.generate(spark, SimulatorConfig.of(50, 2, 52, 5), data);
    addRuleColumns(data);

    var merged = ConfigLoader.merged(null, List.of(
        "plan.horizon=" + HORIZON,
        "forecast.rounds=10",
        "forecast.training-weeks=24",
        "approval.baselines=[]",
        "approval.backtest-origins=1",
        "spark.shuffle-partitions=4",
        "coupling=[{kind=discount-rate-max, target=0.4}]",
        "stock.shared-across-markets=true"));
    var request = new WeeklyRun.Request(data, out, ConfigLoader.toRunConfig(merged), ConfigLoader.toJson(merged), null);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      summary = WeeklyRun.run(spark, request, ps);
    }
    console = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(summary.render());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static String id(Row r) {
    return r.getString(r.fieldIndex(Columns.ARTICLE_ID));
  }

  /**
   * Caps at 20 % the discount of eight articles whose live discount is at most 20 % in every market,
   * and locks three more (live at most 20 %) at 30 %.
   */
  static void addRuleColumns(String data) {
    Dataset<Row> weekly = spark.read().parquet(data + "/weekly");
    var last = Window.partitionBy(Columns.ARTICLE_ID, Columns.MARKET);
    List<String> low = weekly
        .withColumn("last", max(Columns.WEEK).over(last))
        .where(col(Columns.WEEK).equalTo(col("last")))
        .groupBy(Columns.ARTICLE_ID).agg(max(Columns.DISCOUNT).as("live"))
        .where(col("live").leq(0.2 + 1e-9))
        .orderBy(Columns.ARTICLE_ID)
        .select(Columns.ARTICLE_ID).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(low).hasSizeGreaterThan(11);
    capped = low.subList(0, 8);
    locked = low.subList(8, 11);
    Dataset<Row> articles = spark.read().parquet(data + "/articles");
    List<Row> rows = articles
        .withColumn(Columns.RULE_MAX_DISCOUNT,
            when(col(Columns.ARTICLE_ID).isin(capped.toArray()), lit(0.2)).otherwise(lit(null).cast(DataTypes.DoubleType)))
        .withColumn(Columns.RULE_LOCKED_DISCOUNT,
            when(col(Columns.ARTICLE_ID).isin(locked.toArray()), lit(0.3)).otherwise(lit(null).cast(DataTypes.DoubleType)))
        .collectAsList();
    var schema = articles.schema()
        .add(Columns.RULE_MAX_DISCOUNT, DataTypes.DoubleType)
        .add(Columns.RULE_LOCKED_DISCOUNT, DataTypes.DoubleType);
    spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite).parquet(data + "/articles");
  }

  @Test
  void marketsOfAnArticleSellNoMoreThanTheirPoolWeekByWeek() {
    Dataset<Row> recs = spark.read().parquet(out + "/recommendations");
    Dataset<Row> state = spark.read().parquet(out + "/plan_state");
    // units of recent sales not back yet: at most what their returns bring into the markets' stock
    Column sale = org.apache.spark.sql.functions.explode_outer(col(PlanState.RECENT_SALES));
    Dataset<Row> outstanding = state.select(col(Columns.ARTICLE_ID), sale.as("sale"))
        .groupBy(Columns.ARTICLE_ID)
        .agg(org.apache.spark.sql.functions.coalesce(
            sum(col("sale." + Columns.UNITS).minus(col("sale." + PlanState.RETURNED))), lit(0.0)).as("outstanding"));
    // articles with known stock in every market: one finite pool each
    Dataset<Row> pools = state.groupBy(Columns.ARTICLE_ID)
        .agg(sum("stock_start").as("pool"),
            sum(when(col("stock_start").isNull(), 1).otherwise(0)).as("unknown"),
            org.apache.spark.sql.functions.count(lit(1)).as("markets"))
        .where(col("unknown").equalTo(0).and(col("markets").gt(1)))
        .join(outstanding, Columns.ARTICLE_ID);
    assertThat(pools.count()).isGreaterThan(10);
    List<Row> weeks = recs.groupBy(Columns.ARTICLE_ID, Columns.WEEK)
        .agg(sum("expected_units").as("units"), sum("stock_start").as("stock"), sum("stock_end").as("end"))
        .join(pools, Columns.ARTICLE_ID)
        .collectAsList();
    for (Row r : weeks) {
      String what = "article %s, week %s".formatted(id(r), String.valueOf((Object) r.getAs(Columns.WEEK)));
      double units = r.getAs("units");
      double stock = r.getAs("stock");
      assertThat(units).as("units sold in all markets of %s", what).isLessThanOrEqualTo(stock + 1e-6);
      assertThat((double) r.getAs("end")).as("pool left after %s", what).isGreaterThanOrEqualTo(-1e-6);
    }
    // over the horizon: the pool plus what comes back from returns, at the most
    List<Row> totals = recs.groupBy(Columns.ARTICLE_ID)
        .agg(sum("expected_units").as("units"), sum("expected_returns").as("returns"),
            sum(when(col(Columns.WEEK).equalTo(
                recs.agg(org.apache.spark.sql.functions.min(Columns.WEEK)).first().get(0)), col("stock_start")))
                .as("first"))
        .join(pools, Columns.ARTICLE_ID)
        .collectAsList();
    int binding = 0;
    for (Row r : totals) {
      double pool = ((Number) r.getAs("pool")).doubleValue();
      double due = r.getAs("outstanding");
      // the pool is allocated to the markets at the plan week: the shares never exceed it (a market
      // gets no more than it could sell, so units may stay in the pool unallocated); the first
      // week's stock also holds the returns of earlier sales due in it
      double first = r.getAs("first");
      assertThat(first).as("pool of %s allocated at the plan week", id(r))
          .isLessThanOrEqualTo(pool * (1 + 1e-9) + due + 1e-6);
      double units = r.getAs("units");
      assertThat(units).as("units of %s", id(r))
          .isLessThanOrEqualTo(pool + (double) r.getAs("returns") + due + 1e-6);
      binding += units > pool - 1e-6 ? 1 : 0;
    }
    System.out.printf("SharedStockIT: %d pooled articles with finite pools, %d sell their whole pool%n",
        totals.size(), binding);
  }

  @Test
  void perArticleRuleColumnsAreHonoured() {
    Dataset<Row> recs = spark.read().parquet(out + "/recommendations");
    List<Row> cappedRows = recs.where(col(Columns.ARTICLE_ID).isin(capped.toArray())).collectAsList();
    assertThat(cappedRows).isNotEmpty();
    for (Row r : cappedRows) {
      assertThat((double) r.getAs(Columns.DISCOUNT)).as("discount of capped %s", id(r))
          .isLessThanOrEqualTo(0.2 + 1e-9);
    }
    List<Row> lockedRows = recs.where(col(Columns.ARTICLE_ID).isin(locked.toArray())).collectAsList();
    assertThat(lockedRows).isNotEmpty();
    assertThat(lockedRows.size() % HORIZON).isZero();
    for (Row r : lockedRows) {
      assertThat((double) r.getAs(Columns.DISCOUNT)).isEqualTo(0.3);
      assertThat((boolean) r.getAs("locked")).isTrue();
    }
  }

  @Test
  void manifestAndSummarySayHowManyArticlesArePooledAndHowLongTheyTake() throws Exception {
    JsonNode optimizer = new ObjectMapper().readTree(Files.readString(Path.of(out, "manifest.json")))
        .path("optimizer");
    long onSaleInBoth = spark.read().parquet(out + "/plan_state").groupBy(Columns.ARTICLE_ID).count()
        .where(col("count").equalTo(2)).count();
    assertThat(optimizer.path("pooled_articles").asLong()).isEqualTo(onSaleInBoth);
    assertThat(optimizer.path("pooled_solves").asLong()).isGreaterThanOrEqualTo(onSaleInBoth);
    assertThat(optimizer.path("pooled_mean_solve_millis").asDouble()).isGreaterThan(0);
    for (JsonNode row : optimizer.path("coupling_rows")) {
      assertThat(row.path("met").asBoolean()).as(row.path("name").asText()).isTrue();
    }
    assertThat(summary.render()).contains("shared stock: %,d articles".formatted(onSaleInBoth));
    assertThat(console).contains("shared stock:");
    System.out.printf("SharedStockIT: %d pooled articles, %d exact pooled solves, %.2f ms mean per solve%n",
        optimizer.path("pooled_articles").asLong(), optimizer.path("pooled_solves").asLong(),
        optimizer.path("pooled_mean_solve_millis").asDouble());
  }
}
