package io.pricepath.jobs.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricepath.contract.Columns;
import io.pricepath.contract.SparkSessions;
import io.pricepath.contract.Weeks;
import io.pricepath.jobs.config.ConfigException;
import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.simulate.MarketSimulator;
import io.pricepath.simulate.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 3-week season on a tiny generated market, all four policies, realised with random draws. */
@Tag("slow") // long simulation, a season of 4 policies (4-5 min on 2 cores); runs with mvn -B verify -Pslow
class PolicyBacktestTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static String data;
  static String out;
  static RunConfig config;
  static PolicyBacktestResult result;
  static String console;

  @BeforeAll
  static void run() throws Exception {
    spark = SparkSessions.local("policy-backtest-test", 2, 4);
    data = dir.resolve("market").toString();
    MarketSimulator.generate(spark, SimulatorConfig.of(40, 1, 50, 11), data);
    config = ConfigLoader.toRunConfig(ConfigLoader.merged(null, List.of(
        "plan.horizon=3",
        "plan.ladder=[0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7]",
        "coupling=[]",
        "rules.max-changes=3",
        "forecast.rounds=8",
        "forecast.max-depth=3",
        "forecast.training-weeks=24",
        "forecast.origin-every=4",
        "forecast.validation-weeks=2",
        "forecast.workers=1",
        "optimizer.max-iterations=3")));
    out = dir.resolve("out").toString();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    result = PolicyBacktest.run(spark,
        new PolicyBacktest.Request(data, out, 3, config, 4, 5, false), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    console = bytes.toString(StandardCharsets.UTF_8);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void runsEveryPolicyWeekByWeekAndWritesItsFiles() throws Exception {
    assertThat(result.policies()).extracting(PolicyBacktestResult.PolicyFigures::policy)
        .containsExactly(Policy.PRICEPATH, Policy.ORACLE, Policy.NO_MARKDOWN, Policy.RULE_LADDER);
    assertThat(result.planWeek()).isEqualTo(SimulatorConfig.of(40, 1, 50, 11).planWeek());
    for (PolicyBacktestResult.PolicyFigures p : result.policies()) {
      assertThat(p.weekly()).extracting(PolicyBacktestResult.WeekFigures::week).containsExactly(
          result.planWeek(), result.planWeek().plusWeeks(1), result.planWeek().plusWeeks(2));
      assertThat(p.weekly().get(2).cumulativeProfit()).isCloseTo(p.totalProfit(), org.assertj.core.data.Offset.offset(1e-6));
      assertThat(p.startingStock()).isPositive();
      assertThat(p.adherence()).extracting(PolicyBacktestResult.MarketAdherence::market).containsExactly("DE");
    }
    assertThat(result.figures(Policy.PRICEPATH).weekly()).allSatisfy(w -> assertThat(w.articlesOptimized()).isPositive());
    assertThat(console).contains("week 1/3 " + result.planWeek(), "week 3/3", "pricepath: models trained on the history up to");

    JsonNode json = new ObjectMapper().readTree(Files.readString(Path.of(out, PolicyBacktest.JSON)));
    assertThat(json.path("policies").size()).isEqualTo(4);
    assertThat(json.path("policies").path("oracle").path("total_profit").asDouble())
        .isEqualTo(result.figures(Policy.ORACLE).totalProfit());
    assertThat(json.path("policies").path("pricepath").path("weekly").size()).isEqualTo(3);
    String html = Files.readString(Path.of(out, PolicyBacktest.REPORT));
    assertThat(html).contains("<svg", "<path", "rule-ladder", "pricepath captures", "cumulative profit");
    assertThat(result.render()).contains("pricepath captures", "no-markdown", "rule-ladder");
  }

  @Test
  void realisedStockIsConsistentForEveryPolicy() {
    for (Policy policy : Policy.values()) {
      List<Row> rows = spark.read().parquet(out + "/policies/" + policy.label() + "/realised").collectAsList();
      assertThat(rows).hasSize((int) result.articleMarkets() * 3);
      for (Row r : rows) {
        double stockStart = r.<Double>getAs("stock_start");
        double units = r.<Double>getAs("units");
        assertThat(units).as("units of %s", policy).isBetween(0.0, stockStart);
        assertThat(r.<Double>getAs("stock_end")).isEqualTo(stockStart - units);
      }
    }
    // The history each optimising policy saw: weekly rows of the season never sell more than the stock on hand.
    for (Policy policy : List.of(Policy.PRICEPATH, Policy.ORACLE)) {
      List<Row> weekly = spark.read().parquet(out + "/policies/" + policy.label() + "/data/weekly")
          .filter(col(Columns.WEEK).geq(org.apache.spark.sql.functions.lit(result.planWeek()))).collectAsList();
      assertThat(weekly).isNotEmpty();
      assertThat(weekly).allSatisfy(r -> assertThat(r.<Long>getAs(Columns.UNITS_SOLD))
          .isLessThanOrEqualTo(r.<Long>getAs(Columns.STOCK_ON_HAND)));
    }
  }

  @Test
  void noMarkdownKeepsEveryLiveDiscount() {
    Map<String, Double> live = truth("live_discount");
    List<Row> plan = spark.read().parquet(out + "/policies/no-markdown/plan").collectAsList();
    assertThat(plan).hasSize((int) result.articleMarkets() * 3);
    for (Row r : plan) {
      assertThat(r.<Double>getAs(Columns.DISCOUNT)).isEqualTo(live.get(r.<String>getAs(Columns.ARTICLE_ID)));
    }
  }

  @Test
  void ruleLadderMarksDownTenPercentEveryFourWeeksFromWeekSix() {
    Map<String, Double> live = truth("live_discount");
    Map<String, LocalDate> first = new HashMap<>();
    for (Row r : spark.read().parquet(data + "/truth/params").collectAsList()) {
      first.put(r.<String>getAs(Columns.ARTICLE_ID), Weeks.toLocalDate(r.getAs(Columns.FIRST_WEEK)));
    }
    List<Row> plan = spark.read().parquet(out + "/policies/rule-ladder/plan").collectAsList();
    List<Double> marked = new ArrayList<>();
    for (Row r : plan) {
      String id = r.getAs(Columns.ARTICLE_ID);
      int age = Weeks.between(first.get(id), Weeks.toLocalDate(r.getAs(Columns.WEEK)));
      double scheduled = age < 6 ? 0 : Math.min(0.7, 0.1 * ((age - 6) / 4 + 1));
      double expected = Math.max(live.get(id), scheduled);
      assertThat(r.<Double>getAs(Columns.DISCOUNT)).as("%s at age %d", id, age)
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
      if (scheduled > live.get(id)) {
        marked.add(scheduled);
      }
    }
    assertThat(marked).as("the ladder marks something down").isNotEmpty();
  }

  @Test
  void oracleEarnsAtLeastNoMarkdownOnExpectedDemand() {
    assertThat(result.figures(Policy.ORACLE).expectedTotalProfit())
        .isGreaterThanOrEqualTo(result.figures(Policy.NO_MARKDOWN).expectedTotalProfit());
  }

  @Test
  void everyHistoryReturnArrivingInTheSeasonIsInTheReturnsTable() {
    long pending = 0;
    var priced = spark.read().parquet(out + "/policies/pricepath/plan").select(Columns.ARTICLE_ID, Columns.MARKET)
        .distinct();
    for (Row r : spark.read().parquet(data + "/truth/params")
        .join(priced, new String[] {Columns.ARTICLE_ID, Columns.MARKET}, "left_semi").collectAsList()) {
      List<Long> p = r.getList(r.fieldIndex("pending_returns"));
      for (int t = 0; t < Math.min(3, p.size()); t++) {
        pending += p.get(t);
      }
    }
    long written = spark.read().parquet(out + "/policies/pricepath/data/returns")
        .filter(col(Columns.SALE_WEEK).lt(org.apache.spark.sql.functions.lit(result.planWeek()))
            .and(col(Columns.RETURN_WEEK).geq(org.apache.spark.sql.functions.lit(result.planWeek()))))
        .agg(org.apache.spark.sql.functions.sum(Columns.UNITS)).first().getLong(0);
    assertThat(pending).isPositive();
    assertThat(written).isEqualTo(pending);
  }

  @Test
  void theCategoryElasticityGridGivesEveryArticleOfACategoryItsMeanResponse() {
    io.pricepath.simulate.GroundTruth truth = io.pricepath.simulate.GroundTruth.load(spark, data);
    var state = truth.parameters().select("article_id", "market");
    java.time.LocalDate week = truth.planWeek();
    double[] ladder = {0.0, 0.5};
    var own = TruthGrid.of(spark, truth, state, week, 1, ladder, false).collectAsList();
    var pooled = TruthGrid.of(spark, truth, state, week, 1, ladder, true).collectAsList();
    java.util.Map<String, Double> elasticity = new java.util.HashMap<>();
    java.util.Map<String, String> category = new java.util.HashMap<>();
    for (var r : truth.parameters().select("article_id", "elasticity", "category").collectAsList()) {
      elasticity.put(r.getString(0), r.getDouble(1));
      category.put(r.getString(0), r.getString(2));
    }
    java.util.Map<String, double[]> sums = new java.util.HashMap<>();
    elasticity.forEach((a, e) -> {
      double[] s = sums.computeIfAbsent(category.get(a), k -> new double[2]);
      s[0] += e;
      s[1]++;
    });
    int checked = 0;
    for (int i = 0; i < own.size(); i += 2) {
      var at0 = own.get(i);
      var at50 = own.get(i + 1);
      var pooled0 = pooled.get(i);
      var pooled50 = pooled.get(i + 1);
      assertThat(pooled0.getString(0)).isEqualTo(at0.getString(0));
      if (at0.getDouble(4) <= 0) {
        continue;
      }
      double[] s = sums.get(category.get(at0.getString(0)));
      assertThat(at50.getDouble(4) / at0.getDouble(4))
          .isCloseTo(Math.exp(0.5 * elasticity.get(at0.getString(0))), org.assertj.core.api.Assertions.within(1e-9));
      assertThat(pooled50.getDouble(4) / pooled0.getDouble(4))
          .isCloseTo(Math.exp(0.5 * s[0] / s[1]), org.assertj.core.api.Assertions.within(1e-9));
      assertThat(pooled0.getDouble(4)).isCloseTo(at0.getDouble(4), org.assertj.core.api.Assertions.within(1e-9));
      checked++;
    }
    assertThat(checked).isPositive();
  }

  @Test
  void rejectsADatasetWithoutTruthAndAnotherPlanWeek() {
    assertThatThrownBy(() -> PolicyBacktest.run(spark,
        new PolicyBacktest.Request(dir.resolve("nothing").toString(), out + "-x", 3, config, 2, 5, false),
        System.out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot run the policy backtest: %s holds no simulator truth (no truth/ folder); pass a dataset "
            .formatted(dir.resolve("nothing")) + "root written by pricepath generate");
    RunConfig other = ConfigLoader.toRunConfig(ConfigLoader.merged(null, List.of("plan.week=2020-01-06")));
    assertThatThrownBy(() -> PolicyBacktest.run(spark,
        new PolicyBacktest.Request(data, out + "-x", 3, other, 2, 5, false), System.out))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use config plan.week = 2020-01-06: must be empty or the dataset's plan week %s, where the "
            .formatted(result.planWeek()) + "simulator's truth starts");
    assertThatThrownBy(() -> new PolicyBacktest.Request(data, out, 0, config, 2, 5, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot run the policy backtest: weeks must be between 1 and 104 (0)");
  }

  private static Map<String, Double> truth(String column) {
    Map<String, Double> values = new HashMap<>();
    for (Row r : spark.read().parquet(data + "/truth/params").collectAsList()) {
      values.put(r.<String>getAs(Columns.ARTICLE_ID), r.<Double>getAs(column));
    }
    return values;
  }
}
