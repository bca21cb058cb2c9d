package io.pricepath.it;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.pricepath.contract.Columns;
import io.pricepath.contract.DatasetReader;
import io.pricepath.features.PlanState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;

/**
 * Degenerate but valid series added to a generated market — an article sold in one week only, one
 * whose every week sold nothing, and optionally a market of one article — and the check that a run
 * on them wrote finite numbers only.
 */
final class DegenerateSeries {
  /** The market of one article. */
  static final String ONE_ARTICLE_MARKET = "LU";

  /** The ids of the added articles (chosen so that the daily run's split in WeeklyRunIT keeps them weekly). */
  final String oneWeek = weeklyId("degenerate-one-week-");
  final String neverSold = weeklyId("degenerate-never-sold-");

  private static String weeklyId(String prefix) {
    for (int i = 0; ; i++) {
      if (Math.floorMod((prefix + i).hashCode(), 12) != 0) {
        return prefix + i;
      }
    }
  }

  /**
   * Appends the series to dataset {@code root}, copied from an article on sale at {@code planWeek}:
   * its attributes under the new ids, its history in one market with zero sales, its last week
   * alone, and (when {@code oneArticleMarket}) its history in a market of its own.
   */
  DegenerateSeries addTo(SparkSession spark, String root, LocalDate planWeek, int horizon, boolean oneArticleMarket) {
    Row template = PlanState.build(DatasetReader.read(spark, root), planWeek, horizon)
        .select(Columns.ARTICLE_ID, Columns.MARKET).orderBy(Columns.ARTICLE_ID).collectAsList().stream()
        .filter(r -> Math.floorMod(r.getString(0).hashCode(), 12) != 0).findFirst().orElseThrow();
    Column isTemplate = col(Columns.ARTICLE_ID).equalTo(template.getString(0));
    Dataset<Row> article = spark.read().parquet(root + "/articles").where(isTemplate);
    article.withColumn(Columns.ARTICLE_ID, functions.lit(oneWeek))
        .union(article.withColumn(Columns.ARTICLE_ID, functions.lit(neverSold)))
        .write().mode(SaveMode.Append).parquet(root + "/articles");
    Dataset<Row> history = spark.read().parquet(root + "/weekly").where(isTemplate
        .and(col(Columns.MARKET).equalTo(template.getString(1))));
    Dataset<Row> added = history.withColumn(Columns.ARTICLE_ID, functions.lit(neverSold))
        .withColumn(Columns.UNITS_SOLD, functions.lit(0L))
        .union(history.orderBy(col(Columns.WEEK).desc()).limit(1)
            .withColumn(Columns.ARTICLE_ID, functions.lit(oneWeek)));
    if (oneArticleMarket) {
      added = added.union(history.withColumn(Columns.MARKET, functions.lit(ONE_ARTICLE_MARKET)));
    }
    added.write().mode(SaveMode.Append).partitionBy(Columns.WEEK).parquet(root + "/weekly");
    return this;
  }

  /**
   * Asserts that no number a run wrote into {@code out} is NaN or infinite: every floating-point
   * column of its Parquet outputs, the manifest and the manager CSV. Returns the columns scanned.
   */
  static List<String> assertFiniteOutputs(SparkSession spark, String out) throws IOException {
    List<String> scanned = new ArrayList<>();
    for (String table : List.of("plan_state", "forecasts", "recommendations", "backtest/predictions")) {
      if (!Files.exists(Path.of(out, table))) {
        continue;
      }
      Dataset<Row> frame = spark.read().parquet(out + "/" + table);
      for (var field : frame.schema().fields()) {
        if (field.dataType() instanceof DoubleType || field.dataType() instanceof FloatType) {
          Column c = col(field.name());
          long bad = frame.where(functions.isnan(c).or(c.equalTo(Double.POSITIVE_INFINITY))
              .or(c.equalTo(Double.NEGATIVE_INFINITY))).count();
          assertThat(bad).as("NaN or infinite values in %s.%s", table, field.name()).isZero();
          scanned.add(table + "." + field.name());
        }
      }
    }
    for (Path file : List.of(Path.of(out, "manifest.json"), Path.of(out, "export", "recommendations.csv"))) {
      assertThat(Files.readString(file)).as(file.toString()).doesNotContain("NaN").doesNotContain("Infinity");
    }
    return scanned;
  }
}
