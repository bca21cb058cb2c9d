package io.pricepath.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricepath.contract.Columns;
import io.pricepath.contract.SparkSessions;
import io.pricepath.contract.DatasetReader;
import io.pricepath.features.PlanState;
import io.pricepath.jobs.weekly.DailyRun;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.functions;
import io.pricepath.contract.Weeks;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole weekly job on a small generated market, checked against the data contract and the
 * markdown problem's rules; then a rerun that must reuse every step.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WeeklyRunIT {
  static final double[] LADDER = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7};
  static final int HORIZON = 8;
  static final double RATE_MAX = 0.25;
  static final double RATE_MIN = 0.05;

  @TempDir static Path dir;
  static SparkSession spark;
  static String data;
  static String out;
  static String full;
  static List<String> newArticles;
  static RunSummary first;
  static String firstConsole;

  @BeforeAll
  static void generateAndRun() throws Exception {
    spark = SparkSessions.local("weekly-run-it", 2, 4);
    data = dir.resolve("data").toString();
    out = dir.resolve("run").toString();
    // the weekly run reads the market without some articles on sale, which the daily run then prices
    full = dir.resolve("full").toString();
    SimulatorConfig market = SimulatorConfig.of(160, 2, 70, 11);
    MarketSimulator.generate(spark, market, full);
    degenerate = new DegenerateSeries().addTo(spark, full, market.planWeek(), HORIZON, false);
    newArticles = PlanState.build(DatasetReader.read(spark, full), market.planWeek(), HORIZON)
        .select(Columns.ARTICLE_ID).distinct().orderBy(Columns.ARTICLE_ID).as(Encoders.STRING()).collectAsList()
        .stream().filter(id -> Math.floorMod(id.hashCode(), 12) == 0).toList();
    withoutArticles(full, data, newArticles);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    first = run(out, null, console);
    firstConsole = console.toString(StandardCharsets.UTF_8);
  }

  /** An article sold in one week only and one that never sold (degenerate but valid). */
  static DegenerateSeries degenerate;

  /** Writes the dataset at {@code from} into {@code to} without the rows of {@code articles}. */
  static void withoutArticles(String from, String to, List<String> articles) {
    Column kept = functions.not(col(Columns.ARTICLE_ID).isin(articles.toArray()));
    spark.read().parquet(from + "/articles").where(kept).write().parquet(to + "/articles");
    spark.read().parquet(from + "/residuals").where(kept).write().parquet(to + "/residuals");
    spark.read().parquet(from + "/weekly").where(kept).write().partitionBy(Columns.WEEK).parquet(to + "/weekly");
    spark.read().parquet(from + "/returns").where(kept).write().partitionBy(Columns.RETURN_WEEK)
        .parquet(to + "/returns");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static List<String> overrides() {
    return List.of(
        "plan.horizon=" + HORIZON,
        "forecast.rounds=40",
        "forecast.training-weeks=40",
        "coupling=[{kind=discount-rate-max, target=" + RATE_MAX + "}, {kind=discount-rate-min, target=" + RATE_MIN
            + "}]",
        "markdown-budget-vs-unconstrained=0.8",
        // the contract of the run is under test here, not the model against baselines (ModelApprovalIT)
        "approval.baselines=[]",
        "approval.backtest-origins=1",
        "spark.shuffle-partitions=4");
  }

  static RunSummary run(String outDir, String stopAfter, ByteArrayOutputStream console) throws Exception {
    var merged = ConfigLoader.merged(null, overrides());
    var request = new WeeklyRun.Request(data, outDir, ConfigLoader.toRunConfig(merged), ConfigLoader.toJson(merged),
        stopAfter);
    try (PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8)) {
      return WeeklyRun.run(spark, request, ps);
    }
  }

  static Dataset<Row> recommendations() {
    return spark.read().parquet(out + "/recommendations");
  }

  static JsonNode manifest() throws Exception {
    return new ObjectMapper().readTree(Files.readString(Path.of(out, "manifest.json")));
  }

  @Test
  @Order(1)
  void everyArticleMarketWeekIsPricedExactlyOnceOnTheLadder() throws Exception {
    Dataset<Row> recs = recommendations();
    Dataset<Row> state = spark.read().parquet(out + "/plan_state");
    long pairs = state.count();
    assertThat(pairs).isGreaterThan(50);
    assertThat(recs.count()).isEqualTo(pairs * HORIZON);
    assertThat(recs.select(Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK).distinct().count())
        .isEqualTo(pairs * HORIZON);
    LocalDate planWeek = LocalDate.parse(manifest().path("plan_week").asText());
    for (Row row : recs.select(Columns.DISCOUNT, Columns.WEEK).distinct().collectAsList()) {
      double d = row.getDouble(0);
      assertThat(Arrays.stream(LADDER).anyMatch(l -> Math.abs(l - d) < 1e-9)).as("discount %s on ladder", d).isTrue();
      int t = Weeks.between(planWeek, Weeks.toLocalDate(row.get(1)));
      assertThat(t).isBetween(0, HORIZON - 1);
    }
    assertThat(recs.columns()).containsExactlyInAnyOrder(
        "article_id", "market", "week", "discount", "black_price", "price", "expected_units", "expected_returns",
        "expected_revenue", "expected_profit", "stock_start", "stock_end", "locked", "review", "review_reason",
        "run_id");
  }

  @Test
  @Order(2)
  void pathsAreMarkdownOnlyAndStockNeverNegative() {
    Map<String, List<Row>> byKey = new HashMap<>();
    Map<String, Double> live = new HashMap<>();
    for (Row r : spark.read().parquet(out + "/plan_state").select(Columns.ARTICLE_ID, Columns.MARKET, "live_discount")
        .collectAsList()) {
      live.put(r.getString(0) + "|" + r.getString(1), r.isNullAt(2) ? 0.0 : ((Number) r.get(2)).doubleValue());
    }
    for (Row r : recommendations().orderBy(Columns.WEEK).collectAsList()) {
      byKey.computeIfAbsent(r.<String>getAs("article_id") + "|" + r.<String>getAs("market"), k -> new ArrayList<>())
          .add(r);
    }
    for (var e : byKey.entrySet()) {
      double liveDiscount = live.get(e.getKey());
      // the first week may not go below the live discount (rounded up to the ladder)
      double previous = Arrays.stream(LADDER).filter(l -> l >= liveDiscount - 1e-9).findFirst().orElse(0.7);
      for (Row r : e.getValue()) {
        double d = r.getAs("discount");
        assertThat(d).as("markdown-only path of %s", e.getKey()).isGreaterThanOrEqualTo(previous - 1e-9);
        previous = d;
        Double end = r.getAs("stock_end");
        if (end != null) {
          assertThat(end).as("stock of %s", e.getKey()).isGreaterThanOrEqualTo(-1e-9);
        }
        assertThat((double) r.getAs("expected_units")).isGreaterThanOrEqualTo(0);
      }
    }
  }

  @Test
  @Order(3)
  void companyWideTargetsAreMetAndTheGapIsReported() throws Exception {
    for (Row m : recommendations()
        .withColumn("dv", col("discount").multiply(col("black_price")).multiply(col("expected_units")))
        .withColumn("gv", col("black_price").multiply(col("expected_units")))
        .groupBy(Columns.MARKET).agg(sum("dv"), sum("gv")).collectAsList()) {
      double rate = m.getDouble(1) / m.getDouble(2);
      assertThat(rate).as("sales-weighted discount rate in %s", m.getString(0))
          .isBetween(RATE_MIN - 1e-4, RATE_MAX + 1e-4);
    }
    JsonNode optimizer = manifest().path("optimizer");
    assertThat(optimizer.path("feasible").asBoolean()).isTrue();
    double gap = optimizer.path("gap").asDouble(Double.NaN);
    assertThat(gap).isBetween(0.0, 0.05);
    assertThat(optimizer.path("dual_bound").asDouble()).isGreaterThanOrEqualTo(optimizer.path("primal_objective").asDouble() - 1e-6);
    assertThat(optimizer.path("coupling_rows")).hasSize(6); // rate max + min + budget, 2 markets
    for (JsonNode row : optimizer.path("coupling_rows")) {
      assertThat(row.path("met").asBoolean()).as(row.path("name").asText()).isTrue();
    }
    assertThat(firstConsole).contains("primal").contains("dual bound").contains("gap");
    assertThat(first.render()).contains("== pricepath weekly run ==").contains("optimizer: primal")
        .contains("returns due");
    // the sample market has returns: those of recent sales come back into the plan's stock
    double due = 0;
    for (JsonNode market : first.optimize().path("markets")) {
      due += market.path("returnsDue").asDouble();
    }
    assertThat(due).isPositive();
    assertThat(first.targetsMissed()).isFalse();
  }

  @Test
  @Order(4)
  void forecastDemandNeverFallsWhenTheDiscountDeepens() {
    Dataset<Row> grid = spark.read().parquet(out + "/forecasts");
    assertThat(grid.columns()).contains("article_id", "market", "week", "discount", "demand", "return_rate",
        "return_weeks", "fulfillment_cost_per_unit", "residual_value_per_unit", "model_version");
    Map<String, double[]> demand = new HashMap<>();
    for (Row r : grid.select("article_id", "market", "week", "discount", "demand").collectAsList()) {
      String key = r.getString(0) + "|" + r.getString(1) + "|" + r.get(2);
      int k = (int) Math.round(r.getDouble(3) * 10);
      demand.computeIfAbsent(key, x -> new double[LADDER.length])[k] = r.getDouble(4);
    }
    assertThat(demand).isNotEmpty();
    for (var e : demand.entrySet()) {
      for (int k = 1; k < LADDER.length; k++) {
        assertThat(e.getValue()[k]).as("demand of %s at level %d", e.getKey(), k)
            .isGreaterThanOrEqualTo(e.getValue()[k - 1]);
      }
    }
  }

  @Test
  @Order(5)
  void managerCsvHasOneRowPerArticleMarket() throws Exception {
    List<String> lines = Files.readAllLines(Path.of(out, "export", "recommendations.csv"));
    long pairs = spark.read().parquet(out + "/plan_state").count();
    assertThat(lines).hasSize((int) pairs + 1);
    assertThat(lines.get(0)).startsWith("article_id,market,category,").contains("review_reason");
    // the page a pricing manager opens first: self-contained, every market and target, charts, the review list
    String page = Files.readString(Path.of(out, "report.html"));
    assertThat(page).contains("Markdown plan " + manifest().path("run_id").asText(), "<td>DE</td>", "<td>FR</td>",
        "DE: discount rate &lt;= 25.0 %", "Model set ", "To review", "Discount mix in FR").doesNotContain("<script");
    assertThat(page.split("<svg", -1)).hasSize(1 + 3 + 2);
    assertThat(first.render()).contains("report page: " + out + "/report.html");
  }

  @Test
  @Order(5)
  void degenerateSeriesArePricedWithFiniteNumbersEverywhere() throws Exception {
    assertThat(recommendations().where(col(Columns.ARTICLE_ID).isin(degenerate.oneWeek, degenerate.neverSold))
        .select(Columns.ARTICLE_ID).distinct().count()).isEqualTo(2);
    assertThat(DegenerateSeries.assertFiniteOutputs(spark, out)).hasSizeGreaterThan(20);
  }

  @Test
  @Order(6)
  void aSecondRunReusesEveryStepAndWritesTheSameOutputs() throws Exception {
    RunSummary second = run(out, null, new ByteArrayOutputStream());
    assertThat(second.steps()).hasSize(6);
    assertThat(second.allReused()).isTrue();
    assertThat(manifest().path("status").asText()).isEqualTo("done");
    // one writer per run folder: a run that finds another one writing is refused and changes nothing
    var fs = org.apache.hadoop.fs.FileSystem.getLocal(new org.apache.hadoop.conf.Configuration());
    try (var other = io.pricepath.jobs.steps.RunLock.acquire(fs, new org.apache.hadoop.fs.Path(out),
        "the weekly run", java.time.Duration.ofMinutes(10), line -> { })) {
      assertThatThrownBy(() -> run(out, null, new ByteArrayOutputStream()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot write into " + out + ": the weekly run (host ")
          .hasMessageContaining("is writing it");
      assertThat(manifest().path("status").asText()).isEqualTo("done");
    }
  }

  @Test
  @Order(7)
  void aRunStoppedPartWayIsResumedWithoutRedoingFinishedSteps() throws Exception {
    String resumed = dir.resolve("resumed").toString();
    RunSummary partial = run(resumed, "train", new ByteArrayOutputStream());
    assertThat(partial.steps()).extracting(s -> s.name()).containsExactly("validate", "plan-state", "train");
    assertThat(new ObjectMapper().readTree(Files.readString(Path.of(resumed, "manifest.json"))).path("status").asText())
        .isEqualTo("stopped after train");
    // a forecast step killed part-way leaves only its staging folder behind
    Path leftover = Path.of(resumed, "_staging", "forecast-deadbeef", "forecasts");
    Files.createDirectories(leftover);
    Files.writeString(leftover.resolve("part-0.parquet"), "half");
    RunSummary forecast = run(resumed, "forecast", new ByteArrayOutputStream());
    assertThat(forecast.steps().subList(0, 3)).allMatch(s -> s.reused());
    assertThat(forecast.steps().get(3).reused()).isFalse();
    assertThat(leftover.getParent()).doesNotExist();
    RunSummary rest = run(resumed, null, new ByteArrayOutputStream());
    assertThat(rest.steps()).hasSize(6);
    assertThat(rest.steps().subList(0, 4)).allMatch(s -> s.reused());
    assertThat(rest.steps().subList(4, 6)).noneMatch(s -> s.reused());
    assertThat(Path.of(resumed, "_staging")).doesNotExist();
    // the same inputs and config give the same plan, trained and solved again from scratch
    assertThat(spark.read().parquet(resumed + "/recommendations").orderBy("article_id", "market", "week")
        .collectAsList()).isEqualTo(recommendations().orderBy("article_id", "market", "week").collectAsList());
  }

  @Test
  @Order(8)
  void managerOverridesFromTheEditedCsvAreHonoured() throws Exception {
    // edited as a spreadsheet would: cells, not text (reasons hold commas and quotes)
    List<CSVRecord> records;
    try (var parser = CSVParser.parse(Path.of(out, "export", "recommendations.csv"), StandardCharsets.UTF_8,
        CSVFormat.DEFAULT)) {
      records = parser.getRecords();
    }
    List<String> header = records.get(0).toList();
    int firstWeek = header.indexOf(manifest().path("plan_week").asText());
    String[] cells = records.get(1).values().clone();
    String key = cells[0] + "|" + cells[1];
    // an edit: a discount other than the exported one (a cell left as exported is no override)
    String edit = Math.abs(Double.parseDouble(cells[firstWeek]) - 0.5) < 1e-9 ? "0.6" : "0.5";
    cells[firstWeek] = edit;
    cells[header.indexOf("override_reason")] = "clearance of the old colour";
    // a row of an article that is not on sale: reported with its line, not applied
    String[] gone = records.get(2).values().clone();  // values() is the record's own array
    gone[0] = "GONE-1";
    Path csv = dir.resolve("edited.csv");
    try (var printer = new CSVPrinter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8), CSVFormat.DEFAULT)) {
      for (int i = 0; i < records.size(); i++) {
        printer.printRecord((Object[]) (i == 1 ? cells : records.get(i).values()));
      }
      printer.printRecord((Object[]) gone);
    }

    String overridden = dir.resolve("overridden").toString();
    var merged = ConfigLoader.merged(null, concat(overrides(), "overrides=" + csv));
    var request = new WeeklyRun.Request(data, overridden, ConfigLoader.toRunConfig(merged),
        ConfigLoader.toJson(merged), null);
    RunSummary summary;
    try (PrintStream ps = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
      summary = WeeklyRun.run(spark, request, ps);
    }
    assertThat(summary.render()).contains("warning: overrides " + csv + " line " + (records.size() + 1)
        + ": article GONE-1 is not on sale in market " + gone[1] + " at this plan week; its edits are not applied");
    List<Row> rows = spark.read().parquet(overridden + "/recommendations")
        .where(col("article_id").equalTo(cells[0]).and(col("market").equalTo(cells[1])))
        .orderBy("week").collectAsList();
    assertThat(rows).as(key).hasSize(HORIZON);
    assertThat((double) rows.get(0).getAs("discount")).isEqualTo(Double.parseDouble(edit));
    assertThat((boolean) rows.get(0).getAs("locked")).isTrue();
    assertThat(rows.subList(1, HORIZON)).allMatch(r -> !(boolean) r.getAs("locked"));
    assertThat((String) rows.get(0).getAs("review_reason")).contains("manager override: clearance of the old colour");
    assertThat(spark.read().parquet(overridden + "/recommendations").where(col("locked")).count()).isEqualTo(1);
  }

  static List<String> concat(List<String> list, String more) {
    List<String> all = new ArrayList<>(list);
    all.add(more);
    return all;
  }
  @Test
  @Order(10)
  void aDailyRunPricesTheNewArticlesWithTheWeeksPlansHeldInTheTargets() throws Exception {
    Map<String, String> before = files(Path.of(out));
    String daily = dir.resolve("daily").toString();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    RunSummary summary;
    try (PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8)) {
      summary = DailyRun.run(spark, new DailyRun.Request(full, out, daily), ps);
    }
    assertThat(summary.steps()).extracting(s -> s.name())
        .containsExactly("validate", "plan-state", "forecast", "optimize", "export");
    assertThat(files(Path.of(out))).as("the weekly run's folder is untouched").isEqualTo(before);

    // every new article-market on sale is priced, and only those
    LocalDate planWeek = LocalDate.parse(manifest().path("plan_week").asText());
    Dataset<Row> onSale = PlanState.build(DatasetReader.read(spark, full), planWeek, HORIZON)
        .where(col(Columns.ARTICLE_ID).isin(newArticles.toArray()));
    Dataset<Row> dailyRecs = spark.read().parquet(daily + "/recommendations");
    assertThat(newArticles).isNotEmpty();
    assertThat(dailyRecs.select(Columns.ARTICLE_ID).distinct().as(Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrderElementsOf(newArticles);
    assertThat(dailyRecs.select(Columns.ARTICLE_ID, Columns.MARKET).distinct().count()).isEqualTo(onSale.count());
    assertThat(dailyRecs.count()).isEqualTo(onSale.count() * HORIZON);

    // the two folders' tables append to one another: same layout, disjoint keys, two run ids
    Dataset<Row> all = recommendations().unionByName(dailyRecs);
    assertThat(dailyRecs.columns()).containsExactlyInAnyOrder(recommendations().columns());
    assertThat(all.select(Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK).distinct().count()).isEqualTo(all.count());
    assertThat(all.select("run_id").distinct().count()).isEqualTo(2);
    assertThat(Files.readAllLines(Path.of(daily, "export", "recommendations.csv"))).hasSize((int) onSale.count() + 1);

    // the targets hold over all articles, the week's and the new ones
    JsonNode dailyManifest = new ObjectMapper().readTree(Files.readString(Path.of(daily, "manifest.json")));
    Map<String, Double> budgets = new HashMap<>();
    for (JsonNode row : dailyManifest.path("optimizer").path("coupling_rows")) {
      assertThat(row.path("met").asBoolean()).as(row.path("name").asText()).isTrue();
      if (row.path("kind").asText().equals("MARKDOWN_BUDGET")) {
        budgets.put(row.path("market").asText(), row.path("target").asDouble());
      }
    }
    for (JsonNode row : manifest().path("optimizer").path("coupling_rows")) {
      if (row.path("kind").asText().equals("MARKDOWN_BUDGET")) {
        assertThat(budgets.get(row.path("market").asText())).as("the budget grows by the new articles' allowance")
            .isGreaterThan(row.path("target").asDouble());
      }
    }
    assertThat(budgets).hasSize(2);
    for (Row m : all
        .withColumn("dv", col("discount").multiply(col("black_price")).multiply(col("expected_units")))
        .withColumn("gv", col("black_price").multiply(col("expected_units")))
        .groupBy(Columns.MARKET).agg(sum("dv"), sum("gv")).collectAsList()) {
      assertThat(m.getDouble(1) / m.getDouble(2)).as("sales-weighted discount rate in %s, all articles", m.getString(0))
          .isBetween(RATE_MIN - 1e-4, RATE_MAX + 1e-4);
      assertThat(m.getDouble(1)).as("markdown spend in %s, all articles", m.getString(0))
          .isLessThanOrEqualTo(budgets.get(m.getString(0)) * (1 + 1e-6) + 0.01);
    }
    assertThat(summary.render("pricepath daily run")).contains("== pricepath daily run ==");

    // a rerun reuses every step; the week's folder cannot be the daily run's
    RunSummary again = DailyRun.run(spark, new DailyRun.Request(full, out, daily),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(again.allReused()).isTrue();
    assertThatThrownBy(() -> DailyRun.run(spark, new DailyRun.Request(full, out, out + "/daily"),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
        .hasMessageStartingWith("Cannot write the daily run into").hasMessageContaining("untouched");
  }

  /** Every file under {@code root}: relative path → size and modification time. */
  static Map<String, String> files(Path root) throws Exception {
    Map<String, String> files = new java.util.TreeMap<>();
    try (var walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return files;
  }
}
