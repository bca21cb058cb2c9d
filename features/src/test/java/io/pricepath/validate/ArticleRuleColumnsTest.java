package io.pricepath.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricepath.contract.Columns;
import io.pricepath.contract.SparkSessions;
import io.pricepath.contract.TinyDataset;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional per-article rule columns of articles/: read with their types, checked row by row. */
class ArticleRuleColumnsTest {
  private static final StructType WITH_RULES = TinyDataset.ARTICLES
      .add(Columns.RULE_MIN_DISCOUNT, DataTypes.DoubleType)
      .add(Columns.RULE_MAX_DISCOUNT, DataTypes.FloatType)
      .add(Columns.RULE_MAX_CHANGES, DataTypes.IntegerType)
      .add(Columns.RULE_MAX_STEPS_PER_WEEK, DataTypes.IntegerType)
      .add(Columns.RULE_MARKDOWN_ONLY, DataTypes.BooleanType)
      .add(Columns.RULE_NO_TOUCH_UNTIL, DataTypes.DateType)
      .add(Columns.RULE_LOCKED_DISCOUNT, DataTypes.DoubleType);

  private static SparkSession spark;
  @TempDir static Path shared;
  private static Path clean;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("ArticleRuleColumnsTest", 2, 4);
    clean = TinyDataset.writeClean(spark, shared.resolve("clean"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Path withRules(Object[] a1, Object[] a2) {
    Path root = TinyDataset.copy(clean, dir.resolve("root"));
    List<Row> rows = List.of(row(TinyDataset.articles().get(0), a1), row(TinyDataset.articles().get(1), a2));
    TinyDataset.write(spark, root, "articles", WITH_RULES, rows);
    return root;
  }

  private static Row row(Row base, Object[] rules) {
    Object[] values = new Object[base.size() + rules.length];
    for (int i = 0; i < base.size(); i++) {
      values[i] = base.get(i);
    }
    System.arraycopy(rules, 0, values, base.size(), rules.length);
    return RowFactory.create(values);
  }

  @Test
  void validRuleColumnsPassAndAreReadWithTheirTypes() {
    LocalDate monday = LocalDate.of(2025, 3, 24);
    Path root = withRules(
        new Object[] {0.1, 0.5f, 2, 1, false, monday, null},
        new Object[] {null, null, null, null, null, null, 0.3});

    ValidationReport report = DatasetValidator.validate(spark, root.toString(), ValidationOptions.strict());

    assertThat(report.problems()).isEmpty();
    Row a1 = report.cleanTables().articles().where("article_id = 'A1'").first();
    assertThat(a1.<Double>getAs(Columns.RULE_MAX_DISCOUNT)).isEqualTo(0.5);
    assertThat(a1.<Long>getAs(Columns.RULE_MAX_CHANGES)).isEqualTo(2L);
    assertThat(a1.<Boolean>getAs(Columns.RULE_MARKDOWN_ONLY)).isFalse();
    assertThat(a1.get(a1.fieldIndex(Columns.RULE_NO_TOUCH_UNTIL)).toString()).isEqualTo("2025-03-24");
  }

  @Test
  void outOfRangeRuleColumnsAreReportedWithColumnArticleAndFix() {
    Path root = withRules(
        new Object[] {0.1, 1.2f, -1, 0, true, LocalDate.of(2025, 3, 26), null},
        new Object[] {0.5, 0.3f, null, null, null, null, 0.9});

    ValidationReport report = DatasetValidator.validate(spark, root.toString(), ValidationOptions.strict());

    String fix = " — fix the source extract or quarantine this row with --quarantine DIR";
    assertThat(report.problems()).extracting(Problem::message).containsExactlyInAnyOrder(
        "articles.rule_max_discount: 1 row has rule_max_discount outside [0, 1) (examples: A1); rule_max_discount "
            + "must be a discount in [0, 1) (0.3 is 30 % off) (or null to keep the category's or run's rule)" + fix,
        "articles.rule_min_discount: 1 row has rule_min_discount above rule_max_discount (examples: A2); "
            + "rule_min_discount must be <= rule_max_discount" + fix,
        "articles.rule_max_changes: 1 row has negative rule_max_changes (examples: A1); rule_max_changes must be >= 0"
            + fix,
        "articles.rule_max_steps_per_week: 1 row has rule_max_steps_per_week below 1 (examples: A1); "
            + "rule_max_steps_per_week must be >= 1 ladder step (or null to keep the category's or run's rule)" + fix,
        "articles.rule_no_touch_until: 1 row has a rule_no_touch_until that is not a Monday (examples: A1); "
            + "weeks are named by the date of their Monday" + fix);
    assertThat(report.hasFatal()).isTrue();
  }

  @Test
  void aRuleColumnOfTheWrongTypeIsFatal() {
    Path root = TinyDataset.copy(clean, dir.resolve("root"));
    StructType textFlag = TinyDataset.ARTICLES.add(Columns.RULE_MARKDOWN_ONLY, DataTypes.StringType);
    TinyDataset.write(spark, root, "articles", textFlag,
        List.of(row(TinyDataset.articles().get(0), new Object[] {"yes"}),
            row(TinyDataset.articles().get(1), new Object[] {null})));

    ValidationReport report = DatasetValidator.validate(spark, root.toString(), ValidationOptions.strict());

    assertThat(report.problems()).hasSize(1);
    assertThat(report.problems().get(0).message())
        .startsWith("articles.rule_markdown_only: column has type string in 1 of 1 file")
        .endsWith("expected a boolean — rewrite these files with the contract's types");
    assertThat(report.problems().get(0).isFatal()).isTrue();
  }
}
