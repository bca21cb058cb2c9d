package io.pricepath.jobs.weekly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pricepath.contract.Columns;
import io.pricepath.jobs.optimize.ManagerCsv;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The pricing managers' CSV: one row per (article, market) with the recommended discount of every
 * week of the horizon as a column named by the week's Monday, the expected figures and the review
 * flag, in a layout a spreadsheet opens as it is. Discounts are fractions (0.3 = 30 % off).
 */
final class ManagerExport {
  static final String FILE_NAME = "recommendations.csv";

  private ManagerExport() {}

  static JsonNode write(Dataset<Row> recommendations, Dataset<Row> planState, LocalDate planWeek, int horizon,
      Path file, FileSystem fs) throws IOException {
    List<Object> weeks = new ArrayList<>();
    for (int t = 0; t < horizon; t++) {
      weeks.add(java.sql.Date.valueOf(planWeek.plusWeeks(t)));
    }
    Dataset<Row> path = recommendations
        .groupBy(col(Columns.ARTICLE_ID), col(Columns.MARKET))
        .pivot(Columns.WEEK, weeks)
        .agg(first(col(Columns.DISCOUNT)));
    Dataset<Row> totals = recommendations
        .groupBy(col(Columns.ARTICLE_ID), col(Columns.MARKET))
        .agg(
            sum("expected_units").as("expected_units"),
            sum("expected_revenue").as("expected_revenue"),
            sum("expected_profit").as("expected_profit"),
            max(when(col(Columns.WEEK).equalTo(java.sql.Date.valueOf(planWeek.plusWeeks(horizon - 1))),
                col("stock_end"))).as("stock_end"),
            max(col("review")).as("review"),
            first(col("review_reason"), true).as("review_reason"),
            first(col("run_id")).as("run_id"));
    Dataset<Row> state = planState.select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(Columns.CATEGORY),
        col(Columns.BRAND), col(Columns.BLACK_PRICE), col("live_discount"), col("stock_start"));
    String[] keys = {Columns.ARTICLE_ID, Columns.MARKET};
    List<Column> columns = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of(Columns.ARTICLE_ID, Columns.MARKET, Columns.CATEGORY,
        Columns.BRAND, Columns.BLACK_PRICE, "live_discount", "stock_start"));
    for (String h : header) {
      columns.add(col(h));
    }
    for (Object week : weeks) {
      String name = week.toString();
      columns.add(col("`" + name + "`"));
      header.add(name);
    }
    for (String h : List.of("expected_units", "expected_revenue", "expected_profit", "stock_end", "review",
        "review_reason", "run_id")) {
      columns.add(col(h));
      header.add(h);
    }
    header.add("override_reason");
    Dataset<Row> table = path.join(totals, keys).join(state, keys)
        .select(columns.toArray(Column[]::new))
        .orderBy(col(Columns.MARKET), col("review").desc(), col("expected_profit").desc(), col(Columns.ARTICLE_ID));

    long rows = 0;
    long flagged = 0;
    try (CSVPrinter out = ManagerCsv.printer(new BufferedWriter(
        new OutputStreamWriter(fs.create(file, true), StandardCharsets.UTF_8)))) {
      out.printRecord(header);
      Iterator<Row> it = table.toLocalIterator();
      while (it.hasNext()) {
        Row row = it.next();
        List<String> cells = new ArrayList<>(row.size() + 1);
        for (int i = 0; i < row.size(); i++) {
          cells.add(cell(row.get(i)));
        }
        cells.add("");
        out.printRecord(cells);
        rows++;
        if (Boolean.TRUE.equals(row.getAs("review"))) {
          flagged++;
        }
      }
    }
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("rows", rows);
    result.put("review", flagged);
    result.put("file", FILE_NAME);
    return result;
  }

  static String cell(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        return "";
      }
      double rounded = Math.round(d * 100.0) / 100.0;
      return rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.format(Locale.ROOT, "%.2f", rounded);
    }
    return value instanceof String text ? ManagerCsv.text(text) : value.toString();
  }
}
