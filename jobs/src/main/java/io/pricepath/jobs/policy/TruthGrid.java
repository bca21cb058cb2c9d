package io.pricepath.jobs.policy;

import static org.apache.spark.sql.functions.col;

import io.pricepath.contract.Columns;
import io.pricepath.simulate.GroundTruth;
import io.pricepath.simulate.TruthParams;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The oracle's forecast grid: for every (article, market) of a plan state, week of the horizon and
 * ladder discount, the simulator's true expected demand (without promotions), return rate, return
 * time, fulfillment cost and residual value per unit, in the layout of {@code forecasts/}.
 */
final class TruthGrid {
  static final String MODEL_VERSION = "truth";

  static final StructType SCHEMA = io.pricepath.contract.OutputLayouts.FORECASTS;

  private TruthGrid() {}

  static Dataset<Row> of(SparkSession spark, GroundTruth truth, Dataset<Row> planState, LocalDate planWeek,
      int horizon, double[] ladder) {
    return of(spark, truth, planState, planWeek, horizon, ladder, false);
  }

  /**
   * The grid of {@link #of(SparkSession, GroundTruth, Dataset, LocalDate, int, double[])}; with {@code
   * categoryElasticity}, every (article, market)'s demand has the mean true elasticity of its category and market
   * instead of its own: what a perfect forecast that knows the price response only by category sees.
   */
  static Dataset<Row> of(SparkSession spark, GroundTruth truth, Dataset<Row> planState, LocalDate planWeek,
      int horizon, double[] ladder, boolean categoryElasticity) {
    double[] levels = ladder.clone();
    java.util.HashMap<String, Double> means = new java.util.HashMap<>();
    if (categoryElasticity) {
      for (Row r : truth.parameters().groupBy(col(Columns.CATEGORY), col(Columns.MARKET))
          .agg(org.apache.spark.sql.functions.avg(col("elasticity"))).collectAsList()) {
        means.put(r.getString(0) + "|" + r.getString(1), r.getDouble(2));
      }
    }
    Dataset<Row> params = truth.parameters()
        .join(planState.select(col(Columns.ARTICLE_ID), col(Columns.MARKET)),
            new String[] {Columns.ARTICLE_ID, Columns.MARKET}, "left_semi");
    JavaRDD<Row> rows = params.javaRDD()
        .flatMap(row -> {
          TruthParams p = GroundTruth.toParams(row);
          Double mean = means.get(p.category() + "|" + p.market());
          return rows(mean == null ? p : p.withElasticity(mean), planWeek, horizon, levels).iterator();
        });
    return spark.createDataFrame(rows, SCHEMA);
  }

  /**
   * {@code grid} with {@code columns} taken from {@code truth} (both in the layout of {@code
   * forecasts/}, over the same article-markets, weeks and ladder); the model version says which.
   */
  static Dataset<Row> replace(Dataset<Row> grid, Dataset<Row> truth, java.util.Set<String> columns) {
    String[] keys = {Columns.ARTICLE_ID, Columns.MARKET, Columns.WEEK, Columns.DISCOUNT};
    Dataset<Row> t = truth.select(java.util.Arrays.stream(SCHEMA.fieldNames())
        .map(c -> List.of(keys).contains(c) ? col(c) : col(c).as("truth_" + c)).toArray(org.apache.spark.sql.Column[]::new));
    Dataset<Row> joined = grid.join(t, keys);
    return joined.select(java.util.Arrays.stream(SCHEMA.fieldNames())
        .map(c -> columns.contains(c) ? col("truth_" + c).as(c)
            : c.equals(Columns.MODEL_VERSION) ? org.apache.spark.sql.functions.concat(col(c),
                org.apache.spark.sql.functions.lit("+truth:" + String.join(",", new java.util.TreeSet<>(columns)))).as(c)
            : col(c))
        .toArray(org.apache.spark.sql.Column[]::new));
  }

  static List<Row> rows(TruthParams p, LocalDate planWeek, int horizon, double[] ladder) {
    List<Row> out = new ArrayList<>(horizon * ladder.length);
    double returnWeeks = GroundTruth.expectedReturnWeeks(p);
    double residual = GroundTruth.residualValuePerUnit(p);
    for (int t = 0; t < horizon; t++) {
      LocalDate week = planWeek.plusWeeks(t);
      for (double d : ladder) {
        out.add(RowFactory.create(p.articleId(), p.market(), week, d, GroundTruth.expectedDemand(p, week, d, 0),
            GroundTruth.returnRate(p, d), returnWeeks, GroundTruth.fulfillmentCostPerUnit(p, d), residual,
            MODEL_VERSION));
      }
    }
    return out;
  }
}
