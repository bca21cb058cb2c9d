package io.pricepath.forecast.backtest;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;

import io.pricepath.contract.Columns;
import io.pricepath.features.FeatureBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Error sums of the backtest's rows, aggregated on Spark into {@link Accuracy} figures. */
final class Evaluation {
  private Evaluation() {}

  /** Forecast column of each model. */
  static final Map<String, String> COLUMNS =
      Map.of(
          BacktestResult.PRICEPATH, PricepathScores.FORECAST,
          BacktestResult.RECENT_MEAN, Baselines.RECENT_MEAN,
          BacktestResult.LOG_LOG, Baselines.LOG_LOG);

  /**
   * Demand accuracy of every model per horizon week {@code 1 .. horizon}, over the rows of
   * {@code rows} (columns {@code h, actual, censored} and the forecast columns) that did not
   * sell out; a missing forecast counts as 0.
   */
  static List<BacktestResult.Horizon> byHorizon(Dataset<Row> rows, int horizon) {
    return byHorizon(rows, horizon, COLUMNS_IN_ORDER);
  }

  /** The base models' columns in report order. */
  static final Map<String, String> COLUMNS_IN_ORDER = inOrder();

  private static Map<String, String> inOrder() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String name : BacktestResult.MODELS) {
      m.put(name, COLUMNS.get(name));
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** As {@link #byHorizon(Dataset, int)} for the models of {@code columns} (name to column, in order). */
  static List<BacktestResult.Horizon> byHorizon(
      Dataset<Row> rows, int horizon, Map<String, String> columns) {
    List<String> names = new ArrayList<>(columns.keySet());
    Column actual = col(PricepathScores.ACTUAL);
    List<Column> aggs = new ArrayList<>();
    aggs.add(sum(actual));
    for (String m : names) {
      Column f = coalesce(col(columns.get(m)), lit(0.0));
      aggs.add(sum(abs(actual.minus(f))));
      aggs.add(sum(f.minus(actual)));
    }
    Map<Integer, Row> byH = new HashMap<>();
    for (Row r :
        rows.filter(not(col(PricepathScores.CENSORED)))
            .groupBy(col(FeatureBuilder.H))
            .agg(count(lit(1)), aggs.toArray(new Column[0]))
            .collectAsList()) {
      byH.put(r.getInt(0), r);
    }
    List<BacktestResult.Horizon> out = new ArrayList<>();
    for (int h = 1; h <= horizon; h++) {
      Row r = byH.get(h);
      Map<String, Accuracy> models = new LinkedHashMap<>();
      for (int m = 0; m < names.size(); m++) {
        models.put(
            names.get(m),
            r == null
                ? Accuracy.EMPTY
                : new Accuracy(
                    r.getDouble(3 + 2 * m), r.getDouble(4 + 2 * m), r.getDouble(2), r.getLong(1)));
      }
      out.add(new BacktestResult.Horizon(h, models));
    }
    return out;
  }

  /** The sums of every horizon week, per model. */
  static Map<String, Accuracy> total(List<BacktestResult.Horizon> byHorizon) {
    Map<String, Accuracy> out = new LinkedHashMap<>();
    for (String m : byHorizon.isEmpty() ? BacktestResult.MODELS : byHorizon.get(0).models().keySet()) {
      Accuracy a = Accuracy.EMPTY;
      for (BacktestResult.Horizon h : byHorizon) {
        a = a.plus(h.models().get(m));
      }
      out.put(m, a);
    }
    return out;
  }

  /** Rows that sold out. */
  static long censored(Dataset<Row> rows) {
    return rows.filter(col(PricepathScores.CENSORED)).count();
  }

  /** Accuracy of {@code forecast} against {@code actual} over the rows of {@code rows}. */
  static Accuracy of(Dataset<Row> rows, Column actual, Column forecast) {
    Row r =
        rows.agg(
                count(lit(1)),
                sum(actual),
                sum(abs(actual.minus(forecast))),
                sum(forecast.minus(actual)))
            .first();
    long n = r.getLong(0);
    return n == 0
        ? Accuracy.EMPTY
        : new Accuracy(r.getDouble(2), r.getDouble(3), r.getDouble(1), n);
  }

  /** Fulfillment cost of weeks with sales and a known cost, against units × cost per unit. */
  static Accuracy fulfillment(Dataset<Row> rows) {
    Column units = col(PricepathScores.ACTUAL);
    return of(
        rows.filter(units.gt(0).and(col(Columns.FULFILLMENT_COST).isNotNull())),
        col(Columns.FULFILLMENT_COST),
        units.multiply(col(PricepathScores.FULFILLMENT)));
  }

  /** Returned units of sale weeks before {@code matureBefore}, against units × return rate. */
  static Accuracy returns(Dataset<Row> rows, String returnedColumn, java.time.LocalDate matureBefore) {
    Column units = col(PricepathScores.ACTUAL);
    return of(
        rows.filter(units.gt(0).and(col(Columns.WEEK).lt(lit(matureBefore)))),
        col(returnedColumn),
        units.multiply(col(PricepathScores.RETURN_RATE)));
  }
}
