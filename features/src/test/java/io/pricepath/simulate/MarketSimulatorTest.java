package io.pricepath.simulate;

import static io.pricepath.contract.Columns.ARTICLE_ID;
import static io.pricepath.contract.Columns.DISCOUNT;
import static io.pricepath.contract.Columns.MARKET;
import static io.pricepath.contract.Columns.WEEK;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.contract.SparkSessions;
import io.pricepath.contract.Weeks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketSimulatorTest {
  private static final SimulatorConfig CONFIG = SampleMarkets.SMALL;
  private static final String PLAN_WEEK = "date'2025-02-24'";

  @TempDir static Path dir;
  private static SparkSession spark;
  private static GenerationSummary summary;
  private static String root;

  @BeforeAll
  static void generate() {
    spark = SparkSessions.local("MarketSimulatorTest", 2, 4);
    summary = SampleMarkets.smallSummary(spark, dir);
    root = summary.root();
    spark.read().parquet(root + "/articles").createOrReplaceTempView("articles");
    spark.read().parquet(root + "/weekly").createOrReplaceTempView("weekly");
    spark.read().parquet(root + "/returns").createOrReplaceTempView("returns");
    spark.read().parquet(root + "/residuals").createOrReplaceTempView("residuals");
    spark.read().parquet(root + "/truth/params").createOrReplaceTempView("truth");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static long count(String sql) {
    return spark.sql(sql).first().getLong(0);
  }

  @Test
  void sameSeedGivesTheSameTablesWhateverThePartitioning() {
    String other = MarketSimulator.generate(spark, CONFIG.withPartitions(3), dir.resolve("b").toString()).root();
    for (String table : List.of("articles", "weekly", "returns", "residuals", "truth/params")) {
      Dataset<Row> a = spark.read().parquet(root + "/" + table);
      Dataset<Row> b = spark.read().parquet(other + "/" + table);
      assertThat(a.exceptAll(b).union(b.exceptAll(a)).count()).as(table).isZero();
    }
  }

  @Test
  void theSampleMarketIsGeneratedOncePerFolder() {
    assertThat(SampleMarkets.small(spark, dir)).isEqualTo(root);
    assertThat(root).isEqualTo(dir.toAbsolutePath().normalize().resolve("small").toString());
    assertThat(SampleMarkets.smallSummary(spark, dir.resolve("."))).isSameAs(summary);
    assertThat(summary.config()).isEqualTo(SimulatorConfig.of(60, 2, 60, 7));
  }

  @Test
  void summaryMatchesTheTables() {
    assertThat(summary.articles()).isEqualTo(60);
    assertThat(summary.weeklyRows()).isEqualTo(count("select count(*) from weekly"));
    assertThat(summary.returnRows()).isEqualTo(count("select count(*) from returns"));
    assertThat(summary.residualRows()).isEqualTo(count("select count(*) from residuals"));
    assertThat(summary.articleMarkets()).isEqualTo(count("select count(*) from truth"));
    assertThat(summary.censoredWeeks())
        .isEqualTo(count("select count(*) from weekly where units_sold >= stock_on_hand"));
    assertThat(summary.planWeek()).isEqualTo(LocalDate.of(2025, 2, 24));
  }

  @Test
  void tablesHaveTheContractTypesAndKeys() {
    Dataset<Row> weekly = spark.table("weekly");
    assertThat(weekly.schema().apply(WEEK).dataType()).isEqualTo(DataTypes.DateType);
    assertThat(weekly.schema().apply("units_sold").dataType()).isEqualTo(DataTypes.LongType);
    assertThat(spark.table("returns").schema().apply("return_week").dataType()).isEqualTo(DataTypes.DateType);
    assertThat(count("select count(*) - count(distinct article_id) from articles")).isZero();
    assertThat(count("select count(*) from (select article_id, market, week from weekly group by 1, 2, 3 having count(*) > 1)")).isZero();
    assertThat(count("select count(*) from (select article_id, market, sale_week, return_week from returns group by 1, 2, 3, 4 having count(*) > 1)")).isZero();
    assertThat(count("select count(*) - count(distinct article_id, market) from residuals")).isZero();
    assertThat(count("select count(*) from weekly w left anti join articles a using (article_id)")).isZero();
    assertThat(count("select count(distinct market) from weekly")).isEqualTo(2);
    assertThat(Files.exists(Path.of(root, "truth", "truth.json"))).isTrue();
    assertThat(Files.isDirectory(Path.of(root, "weekly", "week=2024-01-01"))).isTrue();
  }

  @Test
  void valuesAreInTheirContractRanges() {
    assertThat(count(
            "select count(*) from weekly where black_price <= 0 or discount < 0 or discount >= 1"
                + " or units_sold < 0 or stock_on_hand < 1 or units_sold > stock_on_hand"
                + " or fulfillment_cost < 0 or x_promo not in (0, 1)"
                + " or abs(discount * 20 - round(discount * 20)) > 1e-9"))
        .isZero();
    assertThat(count("select count(*) from weekly w join articles a using (article_id) where w.week < a.first_week or w.week > a.exit_week"))
        .isZero();
    assertThat(count("select count(*) from weekly where week < date'2024-01-01' or week > date'2025-02-17'")).isZero();
    assertThat(count("select count(*) from articles where unit_cost <= 0 or exit_week < first_week or category is null")).isZero();
    assertThat(count("select count(*) from returns where units <= 0 or return_week <= sale_week or return_week > date_add(sale_week, 28)")).isZero();
    assertThat(count("select count(*) from residuals where residual_value < 0")).isZero();
    assertThat(count("select count(*) from truth where unit_cost >= black_price")).isZero();
    List<LocalDate> dates = new ArrayList<>();
    for (Row r : spark.sql("select distinct week from weekly union select distinct first_week from articles"
            + " union select distinct exit_week from articles union select distinct sale_week from returns"
            + " union select distinct return_week from returns").collectAsList()) {
      dates.add(Weeks.toLocalDate(r.get(0)));
    }
    assertThat(dates).allMatch(Weeks::isMonday);
  }

  @Test
  void returnsNeverExceedTheUnitsSold() {
    assertThat(count(
            "select count(*) from (select article_id, market, sale_week as week, sum(units) units from returns group by 1, 2, 3) r"
                + " left join weekly w using (article_id, market, week) where w.units_sold is null or r.units > w.units_sold"))
        .isZero();
    assertThat(count("select count(*) from returns")).isGreaterThan(0);
  }

  @Test
  void hasSoldOutWeeksAndLiveArticlesAtThePlanWeek() {
    assertThat(summary.censoredWeeks()).isGreaterThan(0);
    assertThat(summary.censoredShare()).isBetween(0.02, 0.2);
    assertThat(summary.onSaleShare()).isGreaterThanOrEqualTo(0.4);
    assertThat(summary.exitingWithin12Weeks()).isGreaterThan(0);
    assertThat(summary.residualRows()).isGreaterThan(0);
    assertThat(count("select count(*) from residuals r left anti join truth t on r.article_id = t.article_id"
            + " and r.market = t.market and t.exit_week < " + PLAN_WEEK + "")).isZero();
    assertThat(count("select count(distinct discount) from weekly")).isGreaterThanOrEqualTo(6);
  }

  @Test
  void carriedStockIsTheContractDefault() {
    // start_stock = last stock_on_hand - that week's units_sold, for every live article-market.
    long mismatches =
        count(
            "select count(*) from truth t left join (select article_id, market,"
                + " max_by(stock_on_hand - units_sold, week) carried from weekly group by 1, 2) w"
                + " using (article_id, market)"
                + " where t.exit_week >= " + PLAN_WEEK + " and coalesce(w.carried, 0) != t.start_stock");
    assertThat(mismatches).isZero();
    assertThat(count("select count(*) from truth t left join (select article_id, market, max_by(discount, week) d"
            + " from weekly group by 1, 2) w using (article_id, market) where t.exit_week >= " + PLAN_WEEK + ""
            + " and w.d is not null and w.d != t.live_discount")).isZero();
    GroundTruth truth = GroundTruth.load(spark, root);
    assertThat(truth.startingState().filter(col("on_sale")).count()).isEqualTo(summary.onSaleAtPlanWeek());
    assertThat(truth.config()).isEqualTo(CONFIG);
  }

  @Test
  void truthDemandIncreasesWithTheDiscount() {
    GroundTruth truth = GroundTruth.load(spark, root);
    for (Row row : truth.parameters().collectAsList()) {
      TruthParams p = GroundTruth.toParams(row);
      LocalDate week = p.exitWeek();
      assertThat(GroundTruth.expectedDemand(p, week, 0.3, 0))
          .isGreaterThan(GroundTruth.expectedDemand(p, week, 0.1, 0));
      assertThat(GroundTruth.returnRate(p, 0)).isBetween(0.02, 0.8);
    }
    assertThat(truth.parameters("A000001", "DE").articleIndex()).isZero();
    assertThatThrownBy(() -> truth.parameters("A000001", "XX"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot find truth: %s/truth/params has 0 rows for article A000001 in market XX (use a key of weekly/)"
                .formatted(root));
  }

  /** Every live article-market at max(live discount, {@code discount}) for {@code weeks} weeks. */
  private static Dataset<Row> flatPlan(GroundTruth truth, double discount, int weeks) {
    return truth.startingState()
        .filter(col("on_sale"))
        .select(
            col(ARTICLE_ID),
            col(MARKET),
            explode(
                    sequence(
                        lit(truth.planWeek()),
                        lit(truth.planWeek().plusWeeks(weeks - 1)),
                        expr("interval 7 days")))
                .as(WEEK),
            greatest(col("live_discount"), lit(discount)).as(DISCOUNT),
            lit("ignored").as("review_reason"));
  }

  @Test
  void simulatedPlansConserveStockAndDeeperDiscountsSellMore() {
    GroundTruth truth = GroundTruth.load(spark, root);
    PlanOutcome shallow = GroundTruth.simulatePlan(spark, root, flatPlan(truth, 0.1, 4), 5, true);
    PlanOutcome deep = truth.simulate(flatPlan(truth, 0.5, 4), 5, true);
    PlanOutcome drawn = truth.simulate(flatPlan(truth, 0.5, 4), 5, false);

    assertThat(shallow.totals().articleMarkets()).isEqualTo(summary.onSaleAtPlanWeek());
    assertThat(deep.totals().units()).isGreaterThan(shallow.totals().units());
    assertThat(deep.totals().sellThrough()).isGreaterThan(shallow.totals().sellThrough());
    assertThat(shallow.totals().startingStock())
        .isCloseTo(count("select sum(start_stock) from truth where exit_week >= " + PLAN_WEEK + " and start_stock > 0"), within(1e-6));
    for (PlanOutcome outcome : List.of(shallow, deep, drawn)) {
      PlanTotals t = outcome.totals();
      Row sums =
          outcome.rows()
              .agg(
                  org.apache.spark.sql.functions.sum("returns_in"),
                  org.apache.spark.sql.functions.sum(
                      org.apache.spark.sql.functions.when(col(WEEK).equalTo(lit(truth.planWeek().plusWeeks(3))), col("stock_end"))
                          .otherwise(0.0)),
                  org.apache.spark.sql.functions.count(lit(1)))
              .first();
      assertThat(t.startingStock() + sums.getDouble(0)).isCloseTo(t.units() + sums.getDouble(1), within(1e-6));
      assertThat(sums.getLong(2)).isEqualTo(4 * t.articleMarkets());
      assertThat(t.profit()).isCloseTo(t.revenue() - t.fulfillmentCost(), within(1e-6));
      assertThat(t.residualValue()).isGreaterThan(0);
    }
    assertThat(drawn.totals()).isEqualTo(truth.simulate(flatPlan(truth, 0.5, 4), 5, false).totals());
  }

  @Test
  void rejectsPlansThatDoNotStartAtThePlanWeekOrNameUnknownArticles() {
    GroundTruth truth = GroundTruth.load(spark, root);
    Dataset<Row> plan = flatPlan(truth, 0.2, 3);
    Dataset<Row> gap = plan.filter(col(WEEK).notEqual(lit(truth.planWeek().plusWeeks(1))));
    Row first = gap.orderBy(ARTICLE_ID, MARKET).first();
    assertThatThrownBy(() -> truth.simulate(gap.filter(col(ARTICLE_ID).equalTo(first.getString(0)).and(col(MARKET).equalTo(first.getString(1)))), 1, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot simulate plan: weeks of article %s in market %s must run consecutively from the plan week 2025-02-24 (2 weeks from 2025-02-24 to 2025-03-10)"
                .formatted(first.getString(0), first.getString(1)));
    Dataset<Row> unknown =
        spark.sql("select 'A999999' article_id, 'DE' market, " + PLAN_WEEK + " week, 0.1d discount");
    assertThatThrownBy(() -> truth.simulate(unknown, 1, true))
        .hasMessage(
            "Cannot simulate plan: article A999999 in market DE has no ground truth in %s (plan only keys of its articles/ and weekly/)"
                .formatted(root));
    Dataset<Row> badDiscount =
        spark.sql("select 'A000001' article_id, 'DE' market, " + PLAN_WEEK + " week, 1.0d discount");
    assertThatThrownBy(() -> truth.simulate(badDiscount, 1, true))
        .hasMessage(
            "Cannot simulate plan: row (article_id=A000001, market=DE, week=2025-02-24, discount=1.0) is invalid;"
                + " keys must be set, discount in [0, 1) and week a Monday from the plan week 2025-02-24 on (1 invalid rows)");
    assertThatThrownBy(() -> truth.simulate(unknown.drop(DISCOUNT), 1, true))
        .hasMessage("Cannot simulate plan: column discount is missing (plan columns: article_id, market, week)");
  }

  @Test
  void loadingARootWithoutTruthSaysSo() {
    String empty = dir.resolve("empty").toString();
    assertThatThrownBy(() -> GroundTruth.load(spark, empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot load ground truth: %s/truth/truth.json does not exist (only roots written by `pricepath generate` have a truth)"
                .formatted(empty));
  }
}
