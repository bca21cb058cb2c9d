package io.pricepath.validate;

import static io.pricepath.contract.TinyDataset.ARTICLES;
import static io.pricepath.contract.TinyDataset.RESIDUALS;
import static io.pricepath.contract.TinyDataset.RETURNS;
import static io.pricepath.contract.TinyDataset.W1;
import static io.pricepath.contract.TinyDataset.W2;
import static io.pricepath.contract.TinyDataset.WEEKLY;
import static io.pricepath.contract.TinyDataset.plus;
import static io.pricepath.contract.TinyDataset.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricepath.contract.InvalidDatasetException;
import io.pricepath.contract.SparkSessions;
import io.pricepath.contract.TinyDataset;
import io.pricepath.validate.Problem.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class DatasetValidatorTest {
  private static final LocalDate WEDNESDAY = LocalDate.of(2025, 3, 5);

  private static SparkSession spark;
  @TempDir static Path shared;
  private static Path clean;
  private static Path bad;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("DatasetValidatorTest", 2, 4);
    clean = TinyDataset.writeClean(spark, shared.resolve("clean"));
    bad = writeBad(shared.resolve("bad"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Path copyOfClean() {
    return TinyDataset.copy(clean, dir.resolve("root"));
  }

  private static ValidationReport strict(Path root) {
    return DatasetValidator.validate(spark, root.toString(), ValidationOptions.strict());
  }

  private static void articles(Path root, List<Row> rows) {
    TinyDataset.write(spark, root, "articles", ARTICLES, rows);
  }

  private static void weekly(Path root, List<Row> rows) {
    TinyDataset.write(spark, root, "weekly", WEEKLY, rows);
  }

  private static void returns(Path root, List<Row> rows) {
    TinyDataset.write(spark, root, "returns", RETURNS, rows);
  }

  private static void residuals(Path root, List<Row> rows) {
    TinyDataset.write(spark, root, "residuals", RESIDUALS, rows);
  }

  /** Rows for {@code table}: the clean ones, then {@code bad}. */
  private static Row row(Object... values) {
    return RowFactory.create(values);
  }

  /**
   * A dataset in which every row-level rule is broken by its own rows, each keyed apart (its own
   * article or market) so that no row breaks two rules: the clean rows of {@link TinyDataset},
   * then the bad ones. Duplicates and files that carry their partition column come as extra files
   * named {@code zz-…}, after Spark's part files.
   */
  private static Path writeBad(Path root) {
    TinyDataset.writeClean(spark, root);
    List<Row> a = TinyDataset.articles();
    articles(
        root,
        plus(
            a,
            with(a.get(0), ARTICLES, "article_id", null),
            with(a.get(1), ARTICLES, "article_id", "A3", "category", null),
            with(a.get(1), ARTICLES, "article_id", "A4", "unit_cost", Double.NaN),
            with(a.get(1), ARTICLES, "article_id", "A5", "unit_cost", -1.0),
            with(a.get(1), ARTICLES, "article_id", "A6", "x_weight", Double.NEGATIVE_INFINITY),
            with(a.get(1), ARTICLES, "article_id", "A7", "first_week", WEDNESDAY),
            with(a.get(1), ARTICLES, "article_id", "A8", "exit_week", LocalDate.of(2025, 3, 16)),
            with(a.get(1), ARTICLES, "article_id", "A10", "unit_cost", 2e9)));
    TinyDataset.appendFile(
        spark, root, "articles", ARTICLES, List.of(with(a.get(0), ARTICLES, "brand", "other")),
        "zz-dup.parquet");

    Row w = TinyDataset.weekly().get(0); // A1|DE|2025-03-03
    weekly(
        root,
        plus(
            TinyDataset.weekly(),
            with(w, WEEKLY, "article_id", null, "market", "M01"),
            with(w, WEEKLY, "market", null),
            with(w, WEEKLY, "market", "M03", "black_price", null),
            with(w, WEEKLY, "market", "M04", "discount", null),
            with(w, WEEKLY, "market", "M05", "units_sold", null),
            with(w, WEEKLY, "market", "M06", "black_price", Double.POSITIVE_INFINITY),
            with(w, WEEKLY, "market", "M07", "black_price", 0.0),
            with(w, WEEKLY, "market", "M08", "discount", Double.NaN),
            with(w, WEEKLY, "market", "M09", "discount", 1.0),
            with(w, WEEKLY, "market", "M10", "discount", -0.1),
            with(w, WEEKLY, "market", "M11", "units_sold", -3L),
            with(w, WEEKLY, "market", "M12", "stock_on_hand", -1L),
            with(w, WEEKLY, "market", "M13", "fulfillment_cost", Double.NaN),
            with(w, WEEKLY, "market", "M14", "fulfillment_cost", -5.0),
            with(w, WEEKLY, "market", "M15", "x_promo", Double.NaN),
            with(w, WEEKLY, "market", "M16", "week", WEDNESDAY),
            with(w, WEEKLY, "market", "M17", "article_id", "A9"),
            with(w, WEEKLY, "market", "M18", "article_id", "A4"),
            with(w, WEEKLY, "market", "M20", "units_sold", Long.MAX_VALUE),
            with(w, WEEKLY, "market", "M21", "stock_on_hand", 1_000_000_000_000L),
            with(w, WEEKLY, "market", "M22", "black_price", 1e300),
            with(w, WEEKLY, "market", "M23", "black_price", 1e-9),
            with(w, WEEKLY, "market", "M24", "fulfillment_cost", 5e9)));
    TinyDataset.appendFile(
        spark, root, "weekly/week=2025-03-03", WEEKLY,
        List.of(with(w, WEEKLY, "units_sold", 11L)), "zz-dup.parquet");
    TinyDataset.appendFile(
        spark, root, "weekly/week=2025-03-03", WEEKLY,
        List.of(with(w, WEEKLY, "market", "M19", "week", W2)), "zz-carries-week.parquet");

    Row r = TinyDataset.returns().get(0); // A1|DE|2025-03-03|2025-03-10
    returns(
        root,
        plus(
            TinyDataset.returns(),
            with(r, RETURNS, "market", "R01", "units", null),
            with(r, RETURNS, "market", null),
            with(r, RETURNS, "market", "R03", "units", -2L),
            with(r, RETURNS, "market", "R04", "sale_week", WEDNESDAY),
            with(r, RETURNS, "market", "R05", "return_week", LocalDate.of(2025, 3, 11)),
            with(r, RETURNS, "market", "R06", "sale_week", W2, "return_week", W1),
            with(r, RETURNS, "market", "R07", "article_id", "A9"),
            with(r, RETURNS, "market", "R09", "units", 1_000_000_000_000L)));
    TinyDataset.appendFile(
        spark, root, "returns/return_week=2025-03-10", RETURNS,
        List.of(with(r, RETURNS, "market", "R08", "return_week", LocalDate.of(2025, 3, 17))),
        "zz-carries-return-week.parquet");

    residuals(
        root,
        plus(
            TinyDataset.residuals(),
            row("A1", "S01", null),
            row("A1", "S02", Double.POSITIVE_INFINITY),
            row("A1", "S03", -0.5),
            row("A9", "DE", 1.0),
            row("A1", "S04", 1e12)));
    TinyDataset.appendFile(
        spark, root, "residuals", RESIDUALS, List.of(row("A1", "DE", 6.0)), "zz-dup.parquet");
    return root;
  }

  /** Every row-level rule, in report order: rule id, table, and what the user reads. */
  static List<String[]> expectedRowProblems() {
    String fix1 = " — fix the source extract or quarantine this row with --quarantine DIR";
    String fix2 = " — fix the source extract or quarantine these rows with --quarantine DIR";
    String monday = "weeks are named by the date of their Monday";
    return List.of(
        p("article_id_null", "articles.article_id: 1 row has no article_id (examples: null); article_id must not be null" + fix1),
        p("category_null", "articles.category: 1 row has no category (examples: A3); category must not be null" + fix1),
        p("unit_cost_not_finite", "articles.unit_cost: 1 row has NaN or infinite unit_cost (examples: A4); unit_cost must be a finite number" + fix1),
        p("unit_cost_negative", "articles.unit_cost: 1 row has negative unit_cost (examples: A5); unit_cost must be >= 0" + fix1),
        p("unit_cost_implausible", "articles.unit_cost: 1 row has unit_cost above 1e9 (examples: A10); unit_cost must be at most 1e9 per unit (check the currency unit, and sentinel values)" + fix1),
        p("x_weight_not_finite", "articles.x_weight: 1 row has NaN or infinite x_weight (examples: A6); x_weight must be a finite number" + fix1),
        p("first_week_not_monday", "articles.first_week: 1 row has a first_week that is not a Monday (examples: A7); " + monday + fix1),
        p("exit_week_not_monday", "articles.exit_week: 1 row has an exit_week that is not a Monday (examples: A8); " + monday + fix1),
        p("duplicate_key", "articles: 1 row has the article_id of an earlier row (in file order) (examples: A1); article_id must be unique" + fix1),
        p("article_id_null", "weekly.article_id: 1 row has no article_id (examples: null|M01|2025-03-03); article_id must not be null" + fix1),
        p("market_null", "weekly.market: 1 row has no market (examples: A1|null|2025-03-03); market must not be null" + fix1),
        p("black_price_null", "weekly.black_price: 1 row has no black_price (examples: A1|M03|2025-03-03); black_price must not be null" + fix1),
        p("discount_null", "weekly.discount: 1 row has no discount (examples: A1|M04|2025-03-03); discount must not be null" + fix1),
        p("units_sold_null", "weekly.units_sold: 1 row has no units_sold (examples: A1|M05|2025-03-03); units_sold must not be null" + fix1),
        p("black_price_not_finite", "weekly.black_price: 1 row has NaN or infinite black_price (examples: A1|M06|2025-03-03); black_price must be a finite number" + fix1),
        p("black_price_not_positive", "weekly.black_price: 1 row has black_price <= 0 (examples: A1|M07|2025-03-03); black_price must be > 0" + fix1),
        p("black_price_implausible", "weekly.black_price: 1 row has black_price above 1e9 (examples: A1|M22|2025-03-03); black_price must be at most 1e9 per unit (check the currency unit, and sentinel values)" + fix1),
        p("black_price_implausibly_small", "weekly.black_price: 1 row has black_price above 0 but below 1e-6 (examples: A1|M23|2025-03-03); black_price must be at least 1e-6 (prices in the currency's unit, not in thousands or millions of it)" + fix1),
        p("discount_not_finite", "weekly.discount: 1 row has NaN or infinite discount (examples: A1|M08|2025-03-03); discount must be a finite number" + fix1),
        p("discount_out_of_range", "weekly.discount: 2 rows have discount outside [0, 1) (examples: A1|M09|2025-03-03, A1|M10|2025-03-03); discount must be in [0, 1) (a fraction of the black price: 0.3 is 30 % off)" + fix2),
        p("units_sold_negative", "weekly.units_sold: 1 row has negative units_sold (examples: A1|M11|2025-03-03); units_sold must be >= 0" + fix1),
        p("units_sold_implausible", "weekly.units_sold: 1 row has units_sold above 1e9 (examples: A1|M20|2025-03-03); units_sold must be at most 1e9 (a billion units in one week of one article-market: check the unit, and sentinels such as 9223372036854775807)" + fix1),
        p("stock_on_hand_negative", "weekly.stock_on_hand: 1 row has negative stock_on_hand (examples: A1|M12|2025-03-03); stock_on_hand must be >= 0" + fix1),
        p("stock_on_hand_implausible", "weekly.stock_on_hand: 1 row has stock_on_hand above 1e9 (examples: A1|M21|2025-03-03); stock_on_hand must be at most 1e9 (a billion units in one week of one article-market: check the unit, and sentinels such as 9223372036854775807)" + fix1),
        p("fulfillment_cost_not_finite", "weekly.fulfillment_cost: 1 row has NaN or infinite fulfillment_cost (examples: A1|M13|2025-03-03); fulfillment_cost must be a finite number" + fix1),
        p("fulfillment_cost_negative", "weekly.fulfillment_cost: 1 row has negative fulfillment_cost (examples: A1|M14|2025-03-03); fulfillment_cost must be >= 0" + fix1),
        p("fulfillment_cost_implausible", "weekly.fulfillment_cost: 1 row has fulfillment_cost above 1e9 (examples: A1|M24|2025-03-03); fulfillment_cost must be at most 1e9 per unit (check the currency unit, and sentinel values)" + fix1),
        p("x_promo_not_finite", "weekly.x_promo: 1 row has NaN or infinite x_promo (examples: A1|M15|2025-03-03); x_promo must be a finite number" + fix1),
        p("week_not_monday", "weekly.week: 1 row has a week that is not a Monday (examples: A1|M16|2025-03-05); " + monday + fix1),
        p("week_folder_mismatch", "weekly.week: 1 row has a week column in the file that differs from its week= folder (examples: A1|M19|2025-03-03); a file that carries week must hold its folder's value" + fix1),
        p("unknown_article", "weekly.article_id: 1 row has an article_id that is not in articles/ (examples: A9|M17|2025-03-03); every article_id must be listed in articles/" + fix1),
        p("duplicate_key", "weekly: 1 row has the (article_id, market, week) of an earlier row (in file order) (examples: A1|DE|2025-03-03); (article_id, market, week) must be unique" + fix1),
        p("market_null", "returns.market: 1 row has no market (examples: A1|null|2025-03-03|2025-03-10); market must not be null" + fix1),
        p("units_null", "returns.units: 1 row has no units (examples: A1|R01|2025-03-03|2025-03-10); units must not be null" + fix1),
        p("units_negative", "returns.units: 1 row has negative units (examples: A1|R03|2025-03-03|2025-03-10); units must be >= 0" + fix1),
        p("units_implausible", "returns.units: 1 row has units above 1e9 (examples: A1|R09|2025-03-03|2025-03-10); units must be at most 1e9 (a billion units in one week of one article-market: check the unit, and sentinels such as 9223372036854775807)" + fix1),
        p("sale_week_not_monday", "returns.sale_week: 1 row has a sale_week that is not a Monday (examples: A1|R04|2025-03-05|2025-03-10); " + monday + fix1),
        p("return_week_not_monday", "returns.return_week: 1 row has a return_week that is not a Monday (examples: A1|R05|2025-03-03|2025-03-11); " + monday + fix1),
        p("return_week_folder_mismatch", "returns.return_week: 1 row has a return_week column in the file that differs from its return_week= folder (examples: A1|R08|2025-03-03|2025-03-10); a file that carries return_week must hold its folder's value" + fix1),
        p("return_before_sale", "returns.return_week: 1 row has return_week before sale_week (examples: A1|R06|2025-03-10|2025-03-03); units cannot come back before the week they were sold in" + fix1),
        p("unknown_article", "returns.article_id: 1 row has an article_id that is not in articles/ (examples: A9|R07|2025-03-03|2025-03-10); every article_id must be listed in articles/" + fix1),
        p("residual_value_null", "residuals.residual_value: 1 row has no residual_value (examples: A1|S01); residual_value must not be null" + fix1),
        p("residual_value_not_finite", "residuals.residual_value: 1 row has NaN or infinite residual_value (examples: A1|S02); residual_value must be a finite number" + fix1),
        p("residual_value_negative", "residuals.residual_value: 1 row has negative residual_value (examples: A1|S03); residual_value must be >= 0" + fix1),
        p("residual_value_implausible", "residuals.residual_value: 1 row has residual_value above 1e9 (examples: A1|S04); residual_value must be at most 1e9 per unit (check the currency unit, and sentinel values)" + fix1),
        p("unknown_article", "residuals.article_id: 1 row has an article_id that is not in articles/ (examples: A9|DE); every article_id must be listed in articles/" + fix1),
        p("duplicate_key", "residuals: 1 row has the (article_id, market) of an earlier row (in file order) (examples: A1|DE); (article_id, market) must be unique" + fix1));
  }

  private static String[] p(String rule, String message) {
    return new String[] {rule, message};
  }

  @TestFactory
  Stream<DynamicTest> eachRowRuleIsFatalWithAMessageNamingRowsAndFix() {
    ValidationReport report = strictBadReport();
    return expectedRowProblems().stream()
        .map(
            expected ->
                DynamicTest.dynamicTest(
                    expected[1].substring(0, expected[1].indexOf(':')) + " " + expected[0],
                    () ->
                        assertThat(report.problems())
                            .filteredOn(p -> p.message().equals(expected[1]))
                            .singleElement()
                            .satisfies(
                                p -> {
                                  assertThat(p.rule()).isEqualTo(expected[0]);
                                  assertThat(p.severity()).isEqualTo(Severity.FATAL);
                                  assertThat(p.table())
                                      .isEqualTo(expected[1].split("[.:]")[0]);
                                })));
  }

  @Test
  void badDatasetReportsExactlyOneProblemPerBrokenRuleAndNothingElse() {
    ValidationReport report = strictBadReport();

    assertThat(report.problems())
        .extracting(Problem::message)
        .containsExactlyElementsOf(expectedRowProblems().stream().map(e -> e[1]).toList());
    assertThat(report.hasFatal()).isTrue();
    assertThat(report.rowCounts())
        .containsExactly(
            Map.entry("articles", 11L),
            Map.entry("weekly", 29L),
            Map.entry("returns", 10L),
            Map.entry("residuals", 8L));
    assertThat(report.render())
        .startsWith(
            ("Dataset %s: 47 fatal problems, 0 warnings\n"
                + "table              rows  problems\n"
                + "articles             11         9\n"
                + "weekly               29        23\n"
                + "returns              10         9\n"
                + "residuals             8         6\n"
                + "FATAL    articles.article_id: 1 row has no article_id")
                .formatted(bad));
    assertThatThrownBy(report::cleanTables)
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageStartingWith(
            "Cannot read dataset %s: 47 problems\n  - articles.article_id: 1 row has no article_id",
            bad);
    assertThat(report.toJson())
        .contains(
            "\"rule\": \"units_sold_negative\",\n"
                + "      \"count\": 1,\n"
                + "      \"examples\": [\n"
                + "        \"A1|M11|2025-03-03\"\n"
                + "      ],");
  }

  private static ValidationReport strictReport;

  private static synchronized ValidationReport strictBadReport() {
    if (strictReport == null) {
      strictReport = strict(bad);
    }
    return strictReport;
  }

  @Test
  void quarantineSetsAsideExactlyTheBadRowsAndReportsThem() throws IOException {
    Path quarantine = dir.resolve("quarantine");

    ValidationReport report =
        DatasetValidator.validate(
            spark, bad.toString(), ValidationOptions.quarantineTo(quarantine.toString()));

    assertThat(report.hasFatal()).isFalse();
    assertThat(report.problems()).hasSize(48).allMatch(p -> p.severity() == Severity.WARNING);
    assertThat(report.problems())
        .extracting(Problem::message)
        .contains(
            "weekly.units_sold: 1 row has negative units_sold (examples: A1|M11|2025-03-03); units_sold must be >= 0 — the row is set aside in %s/weekly with quarantine_reason units_sold_negative"
                .formatted(quarantine),
            "weekly.discount: 2 rows have discount outside [0, 1) (examples: A1|M09|2025-03-03, A1|M10|2025-03-03); discount must be in [0, 1) (a fraction of the black price: 0.3 is 30 %% off) — these rows are set aside in %s/weekly with quarantine_reason discount_out_of_range"
                .formatted(quarantine),
            "weekly.article_id: 1 row has an article_id whose articles/ rows were all set aside (examples: A4|M18|2025-03-03); an article without a valid articles/ row cannot be priced — the row is set aside in %s/weekly with quarantine_reason article_set_aside"
                .formatted(quarantine));

    List<String> weeklyReasons =
        spark.read().parquet(quarantine.resolve("weekly").toString())
            .select("quarantine_reason").as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(weeklyReasons)
        .containsExactlyInAnyOrder(
            "article_id_null", "market_null", "black_price_null", "discount_null",
            "units_sold_null", "black_price_not_finite", "black_price_not_positive",
            "discount_not_finite", "discount_out_of_range", "discount_out_of_range",
            "units_sold_negative", "stock_on_hand_negative", "fulfillment_cost_not_finite",
            "fulfillment_cost_negative", "x_promo_not_finite", "week_not_monday",
            "unknown_article", "article_set_aside", "duplicate_key", "week_folder_mismatch",
            "units_sold_implausible", "stock_on_hand_implausible", "black_price_implausible",
            "black_price_implausibly_small", "fulfillment_cost_implausible");
    Row duplicate =
        spark.read().parquet(quarantine.resolve("weekly").toString())
            .where("quarantine_reason = 'duplicate_key'").first();
    assertThat(duplicate.<Long>getAs("units_sold")).isEqualTo(11L);
    assertThat(spark.read().parquet(quarantine.resolve("articles").toString()).count()).isEqualTo(9);
    assertThat(spark.read().parquet(quarantine.resolve("returns").toString()).count()).isEqualTo(9);
    assertThat(spark.read().parquet(quarantine.resolve("residuals").toString()).count()).isEqualTo(6);

    var tables = report.cleanTables();
    assertThat(tables.articles().select("article_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("A1", "A2");
    assertThat(
            tables.weekly()
                .selectExpr("concat_ws('|', article_id, market, week, units_sold)")
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .containsExactlyInAnyOrder(
            "A1|DE|2025-03-03|10", "A2|DE|2025-03-03|5", "A1|DE|2025-03-10|12", "A2|DE|2025-03-10|4");
    assertThat(tables.returns().orElseThrow().count()).isEqualTo(1);
    assertThat(tables.residuals().orElseThrow().count()).isEqualTo(2);
    assertThat(tables.weekly().columns()).doesNotContain("quarantine_reason");

    String json = Files.readString(quarantine.resolve("report.json"));
    assertThat(json).isEqualTo(report.toJson());
    assertThat(json)
        .contains(
            ("""
                "weekly": {
                  "rows_read": 29,
                  "rows_set_aside": 25,
                  "path": "%s/weekly",
                  "rules": {
                    "article_id_null": 1,
                    "article_set_aside": 1,
                    "black_price_implausible": 1,
                    "black_price_implausibly_small": 1,
                    "black_price_not_finite": 1,
                    "black_price_not_positive": 1,
                    "black_price_null": 1,
                    "discount_not_finite": 1,
                    "discount_null": 1,
                    "discount_out_of_range": 2,
                    "duplicate_key": 1,
                    "fulfillment_cost_implausible": 1,
                    "fulfillment_cost_negative": 1,
                    "fulfillment_cost_not_finite": 1,
                    "market_null": 1,
                    "stock_on_hand_implausible": 1,
                    "stock_on_hand_negative": 1,
                    "units_sold_implausible": 1,
                    "units_sold_negative": 1,
                    "units_sold_null": 1,
                    "unknown_article": 1,
                    "week_folder_mismatch": 1,
                    "week_not_monday": 1,
                    "x_promo_not_finite": 1
                  }
                }""")
                .formatted(quarantine)
                .indent(6)
                .stripTrailing()
                .substring(0));
    assertThat(report.render())
        .endsWith("Set aside 49 rows in %s (see report.json there)\n".formatted(quarantine));
  }

  @Test
  void cleanDatasetHasNoProblems() {
    ValidationReport report = strict(clean);

    assertThat(report.problems()).isEmpty();
    assertThat(report.hasFatal()).isFalse();
    assertThat(report.rowCounts())
        .containsExactly(
            Map.entry("articles", 2L),
            Map.entry("weekly", 4L),
            Map.entry("returns", 1L),
            Map.entry("residuals", 2L));
    assertThat(report.cleanTables().weekly().count()).isEqualTo(4);
    assertThat(report.cleanTables().weekly().columns())
        .containsExactly(
            "article_id", "market", "week", "black_price", "discount", "units_sold",
            "stock_on_hand", "fulfillment_cost", "x_promo");
    assertThat(report.render())
        .isEqualTo(
            "Dataset %s: valid, no problems\n"
                + "table              rows  problems\n"
                + "articles              2         0\n"
                + "weekly                4         0\n"
                + "returns               1         0\n"
                + "residuals             2         0\n",
            clean);
  }

  @Test
  void intUnitsAndExtraColumnsAreAccepted() {
    Path root = copyOfClean();
    StructType narrow =
        new StructType()
            .add("article_id", DataTypes.StringType)
            .add("market", DataTypes.StringType)
            .add("black_price", DataTypes.FloatType)
            .add("discount", DataTypes.DoubleType)
            .add("units_sold", DataTypes.IntegerType)
            .add("stock_on_hand", DataTypes.IntegerType)
            .add("x_mail", DataTypes.IntegerType)
            .add("store_note", DataTypes.StringType);
    TinyDataset.appendFile(
        spark,
        root,
        "weekly/week=2025-03-17",
        narrow,
        List.of(RowFactory.create("A1", "DE", 59.99f, 0.5, 7, 60, 1, "ok")),
        "part-int.parquet");

    ValidationReport report = strict(root);

    assertThat(report.problems()).isEmpty();
    assertThat(report.rowCounts()).containsEntry("weekly", 5L);
    Row added = report.cleanTables().weekly().where("week = date'2025-03-17'").first();
    assertThat(added.<Long>getAs("units_sold")).isEqualTo(7L);
    assertThat(added.<Double>getAs("black_price")).isEqualTo(59.99);
    assertThat(added.<Double>getAs("x_mail")).isEqualTo(1.0);
    assertThat(added.<String>getAs("store_note")).isEqualTo("ok");
  }

  @Test
  void missingTableIsFatal() {
    Path root = copyOfClean();
    TinyDataset.delete(root.resolve("weekly"));

    ValidationReport report = strict(root);

    assertThat(report.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.severity()).isEqualTo(Severity.FATAL);
              assertThat(p.rule()).isEqualTo("missing_table");
              assertThat(p.message())
                  .isEqualTo(
                      "table weekly/ is missing (expected Parquet files under %s/weekly, partitioned by week=YYYY-MM-DD)",
                      root);
            });
    assertThat(report.rowCounts()).isEmpty();
  }

  @Test
  void missingColumnIsFatal() {
    Path root = copyOfClean();
    StructType noMarket =
        new StructType()
            .add("article_id", DataTypes.StringType)
            .add("residual_value", DataTypes.DoubleType);
    TinyDataset.write(spark, root, "residuals", noMarket, List.of(RowFactory.create("A1", 1.0)));

    ValidationReport report = strict(root);

    assertThat(report.problems())
        .extracting(Problem::severity, Problem::rule, Problem::column, Problem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Severity.FATAL,
                "missing_column",
                "market",
                "residuals.market: column is missing (expected a string, never null, in the Parquet files under %s/residuals)"
                    .formatted(root)));
  }

  @Test
  void stringWhereANumberIsRequiredIsFatal() {
    Path root = copyOfClean();
    StructType textUnits =
        new StructType()
            .add("article_id", DataTypes.StringType)
            .add("market", DataTypes.StringType)
            .add("black_price", DataTypes.DoubleType)
            .add("discount", DataTypes.DoubleType)
            .add("units_sold", DataTypes.StringType);
    Path file =
        TinyDataset.appendFile(
            spark,
            root,
            "weekly/week=2025-03-17",
            textUnits,
            List.of(RowFactory.create("A1", "DE", 10.0, 0.0, "seven")),
            "part-text.parquet");

    ValidationReport report = strict(root);

    assertThat(report.problems())
        .extracting(Problem::message)
        .containsExactly(
            "weekly.units_sold: column has type string in 1 of 3 files (examples: file:%s); expected an integer (int or long) — rewrite these files with the contract's types"
                .formatted(file));
    assertThat(report.problems().get(0).isFatal()).isTrue();
  }

  @Test
  void corruptFileIsFatalAndNamed() throws IOException {
    Path root = copyOfClean();
    Path junk = root.resolve("articles/part-junk.parquet");
    Files.write(junk, "PAR1 but nothing else".getBytes());

    ValidationReport report = strict(root);

    assertThat(report.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.rule()).isEqualTo("unreadable_file");
              assertThat(p.examples()).containsExactly("file:" + junk);
              assertThat(p.message())
                  .isEqualTo(
                      "articles/: 1 file cannot be read as Parquet: file:%s (not a Parquet file. Expected magic number at tail, but found [101, 108, 115, 101]); rewrite or remove it",
                      junk);
            });
  }

  @Test
  void absentOptionalTablesAreWarnings() {
    Path root = copyOfClean();
    TinyDataset.delete(root.resolve("returns"));
    TinyDataset.delete(root.resolve("residuals"));

    ValidationReport report = strict(root);

    assertThat(report.hasFatal()).isFalse();
    assertThat(report.problems())
        .extracting(Problem::severity, Problem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Severity.WARNING,
                "returns/: optional table is absent (no Parquet files under %s/returns); return rates are taken as 0 and nothing comes back"
                    .formatted(root)),
            org.assertj.core.groups.Tuple.tuple(
                Severity.WARNING,
                "residuals/: optional table is absent (no Parquet files under %s/residuals); no residual value is known for stock left after exit_week"
                    .formatted(root)));
    assertThat(report.cleanTables().returns()).isEmpty();
    assertThat(report.render())
        .contains("returns          absent         1\n")
        .contains("WARNING  returns/: optional table is absent");
  }
  @Test
  void aMarketWithALatin1ByteIsAFatalProblemNamingTheRow() {
    Path root = copyOfClean();
    // one more weekly row whose market holds the Latin-1 byte of "ü": 0x44 0xFC (not UTF-8)
    var weekly = spark.createDataFrame(
            plus(TinyDataset.weekly(), RowFactory.create("A1", "DX", W1, 59.99, 0.0, 1L, 10L, 2.0, 0.0)), WEEKLY)
        .withColumn("market", org.apache.spark.sql.functions.when(
                org.apache.spark.sql.functions.col("market").equalTo("DX"),
                org.apache.spark.sql.functions.unhex(org.apache.spark.sql.functions.lit("44FC")).cast("string"))
            .otherwise(org.apache.spark.sql.functions.col("market")));
    TinyDataset.delete(root.resolve("weekly"));
    weekly.coalesce(1).write().partitionBy("week").parquet(root.resolve("weekly").toString());

    ValidationReport report = DatasetValidator.validate(spark, root.toString(), ValidationOptions.strict());
    assertThat(report.hasFatal()).isTrue();
    assertThat(report.problems()).singleElement().satisfies(p -> {
      assertThat(p.rule()).isEqualTo("market_not_utf8");
      assertThat(p.message()).startsWith("weekly.market: 1 row has a market that is not valid UTF-8 text")
          .contains("market must be UTF-8 text (re-export the file as UTF-8");
    });
  }
}
