package io.pricepath.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.SparkSessions;
import io.pricepath.contract.Weeks;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FeatureBuilderTest {
  private static final LocalDate W0 = LocalDate.of(2024, 1, 1);
  private static SparkSession spark;
  private static ContractTables tiny;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("FeatureBuilderTest", 2, 4);
    tiny = tiny();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static LocalDate w(int k) {
    return W0.plusWeeks(k);
  }

  private static Row weekly(
      String id, String market, int week, double price, double discount, long units, Long stock) {
    return RowFactory.create(id, market, w(week), price, discount, units, stock, units * 2.0, 0.0);
  }

  private static Row article(String id, LocalDate exit) {
    return RowFactory.create(id, "shirts", "acme", "2024-SS", 10.0, W0, exit, "red", 1.0);
  }

  /** Hand-made history; plan week w(5). */
  private static ContractTables tiny() {
    List<Row> weekly =
        List.of(
            weekly("A1", "DE", 0, 50, 0.0, 5, 100L),
            weekly("A1", "DE", 1, 50, 0.0, 7, 95L),
            weekly("A1", "DE", 2, 50, 0.1, 10, 10L), // sold out: censored
            weekly("A1", "DE", 3, 50, 0.2, 4, 50L),
            weekly("A1", "DE", 4, 45, 0.3, 6, 46L),
            weekly("A1", "DE", 5, 45, 0.4, 99, 40L), // the plan week: never history
            weekly("B1", "DE", 3, 20, 0.0, 3, null),
            weekly("B1", "DE", 4, 20, 0.1, 4, null),
            weekly("C1", "DE", 2, 20, 0.0, 3, 30L),
            weekly("C1", "DE", 3, 20, 0.0, 3, 27L),
            weekly("D1", "DE", 0, 20, 0.0, 3, 30L),
            weekly("E1", "DE", 4, 20, 0.0, 3, 3L),
            weekly("A1", "FR", 3, 50, 0.0, 5, 20L),
            weekly("A1", "FR", 4, 50, 0.0, 2, null));
    List<Row> articles =
        List.of(
            article("A1", null),
            article("B1", w(20)),
            article("C1", w(3)),
            article("D1", null),
            article("E1", null));
    return new ContractTables(
        "memory:tiny",
        spark.createDataFrame(articles, ContractFixtures.ARTICLES),
        spark.createDataFrame(weekly, ContractFixtures.WEEKLY),
        Optional.empty(),
        Optional.empty());
  }

  private static Map<String, Row> byKey(Dataset<Row> rows) {
    Map<String, Row> m = new HashMap<>();
    for (Row r : rows.collectAsList()) {
      m.put(r.getAs(Columns.ARTICLE_ID) + "/" + r.getAs(Columns.MARKET), r);
    }
    return m;
  }

  @Test
  void originStateSummarisesOnlyRowsBeforeTheOrigin() {
    Map<String, Row> at5 = byKey(FeatureBuilder.originStates(tiny, w(5), List.of(w(5))));
    Row a = at5.get("A1/DE");
    assertThat(a.<Long>getAs(FeatureBuilder.WEEKS_ON_SALE)).isEqualTo(5L);
    assertThat(a.<Double>getAs(FeatureBuilder.CUMULATIVE_UNITS)).isEqualTo(32.0);
    assertThat(a.<Double>getAs(FeatureBuilder.UNITS_1)).isEqualTo(6.0);
    // week 2 sold out: skipped by the sales levels
    assertThat(a.<Double>getAs(FeatureBuilder.UNITS_4)).isCloseTo(17.0 / 3, within(1e-9));
    assertThat(a.<Double>getAs(FeatureBuilder.UNITS_8)).isCloseTo(22.0 / 4, within(1e-9));
    assertThat(a.<Double>getAs(FeatureBuilder.LIVE_DISCOUNT)).isEqualTo(0.3);
    assertThat(a.<Double>getAs(FeatureBuilder.DISCOUNT_4)).isCloseTo(0.15, within(1e-9));
    assertThat(a.<Double>getAs(FeatureBuilder.DISCOUNT_8)).isCloseTo(0.12, within(1e-9));
    assertThat(a.<Double>getAs(FeatureBuilder.ORIGIN_BLACK_PRICE)).isEqualTo(45.0);
    assertThat(a.<Double>getAs(FeatureBuilder.STOCK_AT_ORIGIN)).isEqualTo(40.0);
    assertThat(Weeks.toLocalDate(a.getAs(FeatureBuilder.FIRST_SEEN))).isEqualTo(w(0));
    assertThat(at5.get("B1/DE").isNullAt(at5.get("B1/DE").fieldIndex(FeatureBuilder.STOCK_AT_ORIGIN)))
        .isTrue();

    Map<String, Row> at2 = byKey(FeatureBuilder.originStates(tiny, w(5), List.of(w(2))));
    Row early = at2.get("A1/DE");
    assertThat(early.<Long>getAs(FeatureBuilder.WEEKS_ON_SALE)).isEqualTo(2L);
    assertThat(early.<Double>getAs(FeatureBuilder.UNITS_4)).isEqualTo(6.0);
    assertThat(early.<Double>getAs(FeatureBuilder.STOCK_AT_ORIGIN)).isEqualTo(88.0);
    assertThat(at2).doesNotContainKey("B1/DE");
  }

  @Test
  void originStatesCarryTheRecentWeeksOneByOne() {
    Dataset<Row> states = FeatureBuilder.originStates(tiny, w(5), List.of(w(5)));
    OriginStateReader reader =
        new OriginStateReader(states.schema(), FeatureBuilder.fitLayout(tiny, w(5)));
    OriginState a = null;
    for (Row r : states.collectAsList()) {
      if (r.getAs(Columns.ARTICLE_ID).equals("A1") && r.getAs(Columns.MARKET).equals("DE")) {
        a = reader.state(r);
      }
    }
    assertThat(a).isNotNull();
    // index 0 is week 4, the week right before the origin; week 5 (the plan week) is never read
    assertThat(Arrays.copyOf(a.recent().units(), 6)).containsExactly(6, 4, 10, 7, 5, Double.NaN);
    assertThat(Arrays.copyOf(a.recent().discounts(), 5)).containsExactly(0.3, 0.2, 0.1, 0.0, 0.0);
    assertThat(Arrays.copyOf(a.recent().censored(), 5)).containsExactly(0, 0, 1, 0, 0);
    assertThat(a.recent().units()).hasSize(FeatureLayout.RECENT_WEEKS);
    // each week's stock on hand (the plan week's 40 is not read); unknown before the first week
    assertThat(new double[] {a.recent().stock(0), a.recent().stock(1), a.recent().stock(2),
            a.recent().stock(3), a.recent().stock(4), a.recent().stock(5)})
        .containsExactly(46, 50, 10, 95, 100, Double.NaN);
    // each week's fulfillment cost (2 per unit here), and the cost per unit they make
    assertThat(Arrays.copyOf(a.recent().costs(), 6)).containsExactly(12, 8, 20, 14, 10, Double.NaN);
    assertThat(a.recent().costPerUnit()).isEqualTo(2.0);
  }

  @Test
  void trainingSamplesIncludeArticlesWithoutHistoryBeforeTheOrigin() {
    FeatureLayout layout = FeatureBuilder.fitLayout(tiny, w(5));
    Dataset<Row> samples =
        FeatureBuilder.withFeatures(
            FeatureBuilder.trainingSamples(tiny, w(5), List.of(w(3)), 2), layout);
    Row b = null;
    for (Row r : samples.collectAsList()) {
      if (r.getAs(Columns.ARTICLE_ID).equals("B1")
          && Weeks.toLocalDate(r.getAs(Columns.WEEK)).equals(w(3))) {
        b = r;
      }
    }
    // B1 starts selling in week 3: at origin week 3 it has no history, yet it is a sample
    assertThat(b).isNotNull();
    List<Float> f = b.getList(b.fieldIndex(FeatureBuilder.FEATURES));
    assertThat(f.get(layout.names().indexOf("origin:weeks_on_sale"))).isZero();
    assertThat(f.get(layout.names().indexOf("origin:level_4_dd"))).isNaN();
    assertThat(f.get(layout.names().indexOf("article:category"))).isZero();
    assertThat(f.get(layout.names().indexOf("week:age_weeks"))).isEqualTo(3f);
  }

  @Test
  void keptColumnsCarryTheSameFeaturesWithoutTheStates() {
    FeatureLayout layout = FeatureBuilder.fitLayout(tiny, w(5));
    Dataset<Row> samples = FeatureBuilder.trainingSamples(tiny, w(5), List.of(w(2), w(3)), 2);
    Dataset<Row> all = FeatureBuilder.withFeatures(samples, layout);
    Dataset<Row> slim =
        FeatureBuilder.withFeatures(
            samples, layout, List.of(Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK,
                FeatureBuilder.ORIGIN));
    assertThat(slim.columns())
        .containsExactly(Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK, FeatureBuilder.ORIGIN,
            FeatureBuilder.FEATURES);
    Map<String, String> slimRows = encoded(slim);
    assertThat(slimRows).hasSizeGreaterThan(5).isEqualTo(encoded(all));
  }

  /** Each row's key and its features as text (NaN equal to NaN), by article, market, week, origin. */
  private static Map<String, String> encoded(Dataset<Row> rows) {
    Map<String, String> out = new HashMap<>();
    for (Row r : rows.collectAsList()) {
      out.put(
          r.getAs(Columns.ARTICLE_ID) + "/" + r.getAs(Columns.MARKET) + "/"
              + r.getAs(Columns.WEEK) + "/" + r.getAs(FeatureBuilder.ORIGIN),
          r.getList(r.fieldIndex(FeatureBuilder.FEATURES)).toString());
    }
    return out;
  }

  @Test
  void referenceElasticityRecoversTheFixtureEffect() {
    ContractTables data = ContractFixtures.build(spark, ContractFixtures.Spec.full().bare());
    double e = FeatureBuilder.referenceElasticity(data, ContractFixtures.START.plusWeeks(52));
    assertThat(e).isBetween(0.8 * ContractFixtures.ELASTICITY, 1.2 * ContractFixtures.ELASTICITY);
    assertThat(FeatureBuilder.fitLayout(data, ContractFixtures.START.plusWeeks(52)).spec()
            .referenceElasticity())
        .isEqualTo(e);
    // no discount changes to learn from: 0
    assertThat(FeatureBuilder.referenceElasticity(tiny, w(5))).isZero();
  }

  @Test
  void planStateKeepsWhatIsOnSaleWithTheContractDefaultStock() {
    Map<String, Row> plan = byKey(PlanState.build(tiny, w(5), 4));
    assertThat(plan.keySet()).containsExactlyInAnyOrder("A1/DE", "B1/DE", "A1/FR");
    Row a = plan.get("A1/DE");
    assertThat(a.<Long>getAs(PlanState.STOCK_START)).isEqualTo(40L);
    assertThat(a.<Double>getAs(PlanState.BLACK_PRICE)).isEqualTo(45.0);
    assertThat(a.<Double>getAs(PlanState.LIVE_DISCOUNT)).isEqualTo(0.3);
    assertThat(Weeks.toLocalDate(a.getAs(PlanState.LAST_WEEK))).isEqualTo(w(4));
    assertThat(a.<String>getAs(Columns.CATEGORY)).isEqualTo("shirts");
    assertThat(plan.get("B1/DE").isNullAt(plan.get("B1/DE").fieldIndex(PlanState.STOCK_START)))
        .isTrue();
    // last known stock (week 3: 20 - 5) when the last week's stock is unknown
    assertThat(plan.get("A1/FR").<Long>getAs(PlanState.STOCK_START)).isEqualTo(15L);
    assertThat(PlanState.build(tiny, w(5), 4).columns())
        .containsExactly(
            "article_id", "market", "category", "brand", "unit_cost", "first_week", "exit_week",
            "black_price", "live_discount", "stock_start", "last_week", "rule_min_discount",
            "rule_max_discount", "rule_max_changes", "rule_max_steps_per_week", "rule_markdown_only",
            "rule_no_touch_until", "rule_locked_discount", "history_weeks", "history_cv", "recent_sales",
            "return_lags");
    // weeks with sales before the plan week (the plan week's own 99 units are not history)
    assertThat(a.<Integer>getAs(PlanState.HISTORY_WEEKS)).isEqualTo(5);
    assertThat(plan.get("B1/DE").<Integer>getAs(PlanState.HISTORY_WEEKS)).isEqualTo(2);
    // B1/DE sold 3 and 4: mean 3.5, population standard deviation 0.5
    assertThat(plan.get("B1/DE").<Double>getAs(PlanState.HISTORY_CV)).isCloseTo(0.5 / 3.5, within(1e-12));
    // no returns/ table: nothing is coming back
    assertThat(a.isNullAt(a.fieldIndex(PlanState.RECENT_SALES))).isTrue();
    assertThat(a.isNullAt(a.fieldIndex(PlanState.RETURN_LAGS))).isTrue();
  }

  @Test
  void planStateCarriesRecentSalesTheirReturnsSoFarAndTheLagDistribution() {
    List<Row> weekly = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      weekly.add(weekly("A1", "DE", k, 50, k == 0 ? 0.2 : 0.0, 10, 100L - 10 * k));
      weekly.add(weekly("B1", "DE", k, 50, 0.0, 30, 400L - 30 * k));
    }
    weekly.add(weekly("C1", "DE", 7, 50, 0.5, 8, 8L)); // sold out the week before the plan week
    List<Row> returns =
        List.of(
            RowFactory.create("A1", "DE", w(0), w(2), 2L),
            RowFactory.create("A1", "DE", w(1), w(8), 3L), // back in the plan week: still to come
            RowFactory.create("A1", "DE", w(2), w(4), 1L),
            RowFactory.create("B1", "DE", w(1), w(4), 12L));
    ContractTables tables =
        new ContractTables(
            "memory:pending",
            spark.createDataFrame(
                List.of(article("A1", null), article("B1", null), article("C1", null)),
                ContractFixtures.ARTICLES),
            spark.createDataFrame(weekly, ContractFixtures.WEEKLY),
            Optional.of(spark.createDataFrame(returns, ContractFixtures.RETURNS)),
            Optional.empty());
    Dataset<Row> state = PlanState.build(tables, w(8), 4);
    assertThat(state.columns()).containsExactly(PlanState.build(tiny, w(5), 4).columns());
    Map<String, Row> plan = byKey(state);
    // sold out, but its returns are still to come: kept, to be priced
    assertThat(plan.get("C1/DE").<Long>getAs(PlanState.STOCK_START)).isZero();
    Row a = plan.get("A1/DE");
    Map<Integer, Row> sales = new HashMap<>();
    for (Row sale : a.<Row>getList(a.fieldIndex(PlanState.RECENT_SALES))) {
      sales.put(sale.<Integer>getAs(PlanState.WEEKS_BEFORE), sale);
    }
    assertThat(sales.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(sales.get(8).<Double>getAs(Columns.DISCOUNT)).isEqualTo(0.2);
    assertThat(sales.get(8).<Double>getAs(Columns.UNITS)).isEqualTo(10.0);
    assertThat(sales.get(8).<Double>getAs(PlanState.RETURNED)).isEqualTo(2.0);
    assertThat(sales.get(7).<Double>getAs(PlanState.RETURNED)).isZero();
    assertThat(sales.get(6).<Double>getAs(PlanState.RETURNED)).isEqualTo(1.0);
    // no sale week is 12 weeks old: the lags of every return so far, 3 units after 2 weeks, 12 after 3
    List<Double> lags = a.getList(a.fieldIndex(PlanState.RETURN_LAGS));
    assertThat(lags).hasSize(PlanState.RETURN_LAG_WEEKS + 1);
    assertThat(lags.get(2)).isCloseTo(0.2, within(1e-12));
    assertThat(lags.get(3)).isCloseTo(0.8, within(1e-12));
    assertThat(lags.stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void planStateRejectsAWeekThatIsNotAMonday() {
    assertThatThrownBy(() -> PlanState.build(tiny, w(5).plusDays(2), 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build the plan state: the plan week must be a Monday (2024-02-07)");
  }

  @Test
  void trainingSamplesPairOriginsWithTheirNextWeeks() {
    Dataset<Row> samples =
        FeatureBuilder.trainingSamples(tiny, w(5), List.of(w(2), w(4)), 2)
            .filter(col(Columns.ARTICLE_ID).equalTo("A1").and(col(Columns.MARKET).equalTo("DE")))
            .orderBy(FeatureBuilder.ORIGIN, Columns.WEEK);
    List<String> got = new ArrayList<>();
    for (Row r : samples.collectAsList()) {
      got.add(
          "%s h%d %s censored=%s"
              .formatted(
                  Weeks.toLocalDate(r.getAs(FeatureBuilder.ORIGIN)),
                  r.<Integer>getAs(FeatureBuilder.H),
                  Weeks.toLocalDate(r.getAs(Columns.WEEK)),
                  r.<Boolean>getAs(FeatureBuilder.CENSORED)));
    }
    // the plan week's row (week 5) is never a target
    assertThat(got)
        .containsExactly(
            "2024-01-15 h1 2024-01-15 censored=true",
            "2024-01-15 h2 2024-01-22 censored=false",
            "2024-01-29 h1 2024-01-29 censored=false");
  }

  @Test
  void changingRowsAtOrAfterTheOriginChangesNoFeature() {
    ContractTables data = ContractFixtures.build(spark, ContractFixtures.Spec.full());
    LocalDate plan = ContractFixtures.START.plusWeeks(40);
    LocalDate origin = ContractFixtures.START.plusWeeks(30);
    FeatureLayout layout = FeatureBuilder.fitLayout(data, plan);

    // everything at or after the origin, the decision and the known-in-advance signals excepted
    Column after = col(Columns.WEEK).geq(lit(origin));
    Dataset<Row> weekly = data.weekly();
    Dataset<Row> altered =
        weekly
            .withColumn(Columns.UNITS_SOLD, when(after, col(Columns.UNITS_SOLD).multiply(7).plus(3))
                .otherwise(col(Columns.UNITS_SOLD)))
            .withColumn(Columns.STOCK_ON_HAND, when(after, lit(1L)).otherwise(col(Columns.STOCK_ON_HAND)))
            .withColumn(Columns.BLACK_PRICE, when(after, lit(999.0)).otherwise(col(Columns.BLACK_PRICE)))
            .withColumn(Columns.FULFILLMENT_COST, when(after, lit(0.0)).otherwise(col(Columns.FULFILLMENT_COST)))
            .select(Arrays.stream(weekly.columns()).map(c -> col(c)).toArray(Column[]::new));
    // and every return that came back at or after the origin
    Dataset<Row> returns = data.returns().orElseThrow();
    Column lateReturn = col(Columns.RETURN_WEEK).geq(lit(origin));
    Dataset<Row> alteredReturns =
        returns
            .withColumn(Columns.UNITS, when(lateReturn, col(Columns.UNITS).multiply(7).plus(3))
                .otherwise(col(Columns.UNITS)))
            .select(Arrays.stream(returns.columns()).map(c -> col(c)).toArray(Column[]::new));
    ContractTables changed =
        new ContractTables(
            data.root(), data.articles(), altered, Optional.of(alteredReturns), data.residuals());

    Map<String, float[]> before = features(data, plan, origin, layout);
    Map<String, float[]> afterChange = features(changed, plan, origin, layout);
    assertThat(before).hasSizeGreaterThan(100);
    assertThat(afterChange.keySet()).isEqualTo(before.keySet());
    for (Map.Entry<String, float[]> e : before.entrySet()) {
      assertThat(afterChange.get(e.getKey())).as(e.getKey()).containsExactly(e.getValue());
    }

    // the origin states themselves ignore every column of those rows, discounts included
    Dataset<Row> scrambled =
        altered.withColumn(Columns.DISCOUNT, when(after, lit(0.9)).otherwise(col(Columns.DISCOUNT)));
    ContractTables scrambledTables =
        new ContractTables(data.root(), data.articles(), scrambled, data.returns(), data.residuals());
    assertThat(FeatureBuilder.originStates(scrambledTables, plan, List.of(origin)).collectAsList())
        .containsExactlyInAnyOrderElementsOf(
            FeatureBuilder.originStates(data, plan, List.of(origin)).collectAsList());
  }

  private static Map<String, float[]> features(
      ContractTables tables, LocalDate plan, LocalDate origin, FeatureLayout layout) {
    Dataset<Row> samples =
        FeatureBuilder.withFeatures(
            FeatureBuilder.trainingSamples(tables, plan, List.of(origin), 6), layout);
    Map<String, float[]> out = new HashMap<>();
    for (Row r : samples.collectAsList()) {
      List<Float> list = r.getList(r.fieldIndex(FeatureBuilder.FEATURES));
      float[] f = new float[list.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = list.get(i);
      }
      out.put(
          r.getAs(Columns.ARTICLE_ID) + "/" + r.getAs(Columns.MARKET) + "/"
              + Weeks.toLocalDate(r.getAs(Columns.WEEK)),
          f);
    }
    return out;
  }

  @Test
  void seasonRatiosCompareTheSameArticlesAYearEarlier() {
    List<Row> weekly = new ArrayList<>();
    for (String id : List.of("S1", "S2", "S3")) {
      for (int k = 0; k < 75; k++) {
        weekly.add(weekly(id, "DE", k, 20, 0.0, k < 20 ? 10 : 20, null));
      }
    }
    // launched after the base weeks: no match, left out however much it sells
    for (int k = 18; k < 75; k++) {
      weekly.add(weekly("S4", "DE", k, 20, 0.0, 500, null));
    }
    // irregular rows of the matched articles are left out: a promotion, a discount, a sell-out
    weekly.add(RowFactory.create("S1", "DE", w(20), 20.0, 0.0, 900L, null, 0.0, 1.0));
    weekly.removeIf(r -> r.getAs(0).equals("S1") && r.getAs(2).equals(w(20)) && r.getDouble(8) == 0);
    weekly.removeIf(r -> r.getAs(0).equals("S2") && r.getAs(2).equals(w(21)));
    weekly.add(weekly("S2", "DE", 21, 20, 0.3, 900, null));
    weekly.removeIf(r -> r.getAs(0).equals("S3") && r.getAs(2).equals(w(12)));
    weekly.add(weekly("S3", "DE", 12, 20, 0.0, 900, 900L));
    // two articles only in FR: too few to say
    for (String id : List.of("S1", "S2")) {
      for (int k = 0; k < 75; k++) {
        weekly.add(weekly(id, "FR", k, 20, 0.0, 10, null));
      }
    }
    List<Row> articles = new ArrayList<>();
    for (String id : List.of("S1", "S2", "S3", "S4")) {
      articles.add(article(id, null));
    }
    ContractTables tables =
        new ContractTables(
            "memory:season",
            spark.createDataFrame(articles, ContractFixtures.ARTICLES),
            spark.createDataFrame(weekly, ContractFixtures.WEEKLY),
            Optional.empty(),
            Optional.empty());
    FeatureLayout layout = FeatureBuilder.fitLayout(tables, w(75));
    Dataset<Row> samples = FeatureBuilder.trainingSamples(tables, w(75), List.of(w(70)), 4);
    OriginStateReader reader = new OriginStateReader(samples.schema(), layout);
    Map<String, OriginState> states = new HashMap<>();
    for (Row r : samples.collectAsList()) {
      OriginState s = reader.state(r);
      states.put(s.articleId() + "/" + s.market(), s);
    }
    // Σ over S1-S3 of their mean regular units: base weeks 10-17 (10 each: 30); the year-ago
    // week of h is 17 + h, with its neighbours
    OriginState s = states.get("S4/DE");
    assertThat(s.seasonRatio(1)).isCloseTo(1.0, within(1e-9)); // weeks 17-19
    // weeks 18-20: S1 without its promotion week 20 (10), S2 and S3 (10 + 10 + 20) / 3
    assertThat(s.seasonRatio(2)).isCloseTo((10 + 2 * 40 / 3.0) / 30, within(1e-9));
    // weeks 19-21: S1 (10 + 20) / 2, S2 without its discounted week 21 (10 + 20) / 2, S3 50 / 3
    assertThat(s.seasonRatio(3)).isCloseTo((15 + 15 + 50 / 3.0) / 30, within(1e-9));
    assertThat(s.seasonRatio(4)).isCloseTo(2.0, within(1e-9)); // weeks 20-22
    assertThat(s.seasonRatio(5)).isNaN();
    assertThat(states.get("S1/DE").seasonRatios()).containsExactly(s.seasonRatios());
    assertThat(states.get("S1/FR").seasonRatio(1)).isNaN();

    // nothing at or after the origin moves them
    Dataset<Row> later =
        tables
            .weekly()
            .withColumn(
                Columns.UNITS_SOLD,
                when(col(Columns.WEEK).geq(lit(w(70))), lit(1L)).otherwise(col(Columns.UNITS_SOLD)));
    ContractTables changed =
        new ContractTables("memory:season", tables.articles(), later, Optional.empty(), Optional.empty());
    Dataset<Row> again =
        FeatureBuilder.trainingSamples(changed, w(75), List.of(w(70)), 4)
            .filter(col(Columns.MARKET).equalTo("DE"));
    assertThat(again.count()).isPositive();
    for (Row r : again.collectAsList()) {
      assertThat(reader.state(r).seasonRatios()).containsExactly(s.seasonRatios());
    }

    // the season ratio is the week's feature
    float[] f = new float[layout.width()];
    layout.fill(f, 0, s, 4, w(73), 0.0, null);
    assertThat(f[layout.names().indexOf(FeatureLayout.SEASON_RATIO)]).isEqualTo(2.0f);
  }

  @Test
  void scoringInputsCarryTheOriginStateAtThePlanWeek() {
    FeatureLayout layout = FeatureBuilder.fitLayout(tiny, w(5));
    Dataset<Row> inputs =
        FeatureBuilder.scoringInputs(tiny, PlanState.build(tiny, w(5), 4), w(5), 4, layout);
    OriginStateReader reader = new OriginStateReader(inputs.schema(), layout);
    Map<String, OriginState> states = new HashMap<>();
    for (Row r : inputs.collectAsList()) {
      OriginState s = reader.state(r);
      states.put(s.articleId() + "/" + s.market(), s);
      // x_promo is 0 in week 5, the one horizon week the dataset supplies
      assertThat(reader.futureSignals(r, 1)).containsExactly(0.0);
    }
    assertThat(states.keySet()).containsExactlyInAnyOrder("A1/DE", "B1/DE", "A1/FR");
    OriginState a = states.get("A1/DE");
    assertThat(a.units1()).isEqualTo(6.0);
    assertThat(a.stockAtOrigin()).isEqualTo(40.0);
    assertThat(a.blackPrice()).isEqualTo(45.0);
    assertThat(a.categoricals()).containsExactly("red");
    assertThat(a.numerics()).containsExactly(1.0);
  }

  @Test
  void returnHistoryCountsMaturedSalesAndReturnsBeforeTheOrigin() {
    List<Row> weekly = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      weekly.add(weekly("A1", "DE", k, 50, k == 0 ? 0.2 : 0.0, 10, null));
      weekly.add(weekly("B1", "DE", k, 50, 0.0, 30, null));
    }
    List<Row> returns =
        List.of(
            RowFactory.create("A1", "DE", w(0), w(2), 2L),
            RowFactory.create("A1", "DE", w(1), w(8), 3L), // back at the origin: not known yet
            RowFactory.create("A1", "DE", w(2), w(4), 1L), // sold within 6 weeks of the origin
            RowFactory.create("B1", "DE", w(1), w(3), 12L));
    ContractTables tables =
        new ContractTables(
            "memory:returns",
            spark.createDataFrame(List.of(article("A1", null), article("B1", null)),
                ContractFixtures.ARTICLES),
            spark.createDataFrame(weekly, ContractFixtures.WEEKLY),
            Optional.of(spark.createDataFrame(returns, ContractFixtures.RETURNS)),
            Optional.empty());
    Dataset<Row> samples = FeatureBuilder.trainingSamples(tables, w(10), List.of(w(8)), 1);
    OriginStateReader reader =
        new OriginStateReader(samples.schema(), FeatureBuilder.fitLayout(tables, w(10)));
    Map<String, OriginState> states = new HashMap<>();
    for (Row r : samples.collectAsList()) {
      OriginState s = reader.state(r);
      states.put(s.articleId(), s);
    }
    // sale weeks 0 and 1 are more than 6 weeks before the origin w(8); week 1's returns came back
    // at w(8); the category ratio pools both articles: (2 + 12) / (20 + 60)
    // (A1 sold week 0 at 20 % off)
    assertThat(states.get("A1").returns())
        .isEqualTo(new OriginState.ReturnHistory(20, 2, 4, 2, 14.0 / 80, 2.0 / 80));
    assertThat(states.get("B1").returns())
        .isEqualTo(new OriginState.ReturnHistory(60, 12, 24, 0, 14.0 / 80, 2.0 / 80));
    // the own ratio is shrunk to the category's with 50 units of pseudo-evidence
    assertThat(FeatureLayout.returnRatio(states.get("A1").returns()))
        .isCloseTo((2 + 50 * 14.0 / 80) / 70, within(1e-12));
    assertThat(FeatureLayout.returnDiscount(states.get("A1").returns()))
        .isCloseTo((2 + 50 * 2.0 / 80) / 70, within(1e-12));
    assertThat(FeatureLayout.returnRatio(OriginState.ReturnHistory.NONE)).isNaN();
    assertThat(FeatureLayout.returnDiscount(OriginState.ReturnHistory.NONE)).isNaN();
  }

  @Test
  void trainingOriginsStepBackFromThePlanWeek() {
    assertThat(FeatureBuilder.trainingOrigins(w(20), 12, 4)).containsExactly(w(8), w(12), w(16));
    assertThatThrownBy(() -> FeatureBuilder.trainingOrigins(w(20), 12, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot choose training origins: training weeks (12) and origin step (0) must be >= 1");
  }
}
