package io.pricepath.jobs.policy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.struct;

import io.pricepath.contract.Columns;
import io.pricepath.contract.Weeks;
import io.pricepath.simulate.GroundTruth;
import io.pricepath.simulate.TruthParams;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One policy's folders under {@code OUT/policies/<policy>/}: {@code plan/} (the discounts it
 * applied, one row per article, market and week), {@code realised/} (the simulator's outcome of
 * each week as it was realised), and for the policies that optimise {@code data/}, a dataset root
 * holding the original history plus the weeks realised under the policy ({@code weekly/} rows and
 * the {@code returns/} of their sales), and {@code work/} (the plan state and forecast grid of the
 * current week).
 */
final class World {
  static final String[] KEYS = {Columns.ARTICLE_ID, Columns.MARKET};
  static final StructType RETURNS = new StructType()
      .add(Columns.ARTICLE_ID, DataTypes.StringType, false)
      .add(Columns.MARKET, DataTypes.StringType, false)
      .add(Columns.SALE_WEEK, DataTypes.DateType, false)
      .add(Columns.RETURN_WEEK, DataTypes.DateType, false)
      .add(Columns.UNITS, DataTypes.LongType, false);

  private final Policy policy;
  private final Path dir;

  World(Policy policy, Path policiesDir) {
    this.policy = policy;
    this.dir = new Path(policiesDir, policy.label());
  }

  Policy policy() {
    return policy;
  }

  Path planDir() {
    return new Path(dir, "plan");
  }

  Path realisedDir() {
    return new Path(dir, "realised");
  }

  Path dataRoot() {
    return new Path(dir, "data");
  }

  Path work(String name) {
    return new Path(new Path(dir, "work"), name);
  }

  Path models(LocalDate week) {
    return new Path(new Path(dir, "models"), week.toString());
  }

  /** Copies the dataset's tables (not its truth) into this policy's dataset root. */
  void copyHistory(Path source, Configuration hadoop) throws IOException {
    FileSystem from = source.getFileSystem(hadoop);
    FileSystem to = dir.getFileSystem(hadoop);
    for (String table : List.of(Columns.ARTICLES, Columns.WEEKLY, Columns.RETURNS, Columns.RESIDUALS)) {
      Path path = new Path(source, table);
      if (from.exists(path) && !FileUtil.copy(from, path, to, new Path(dataRoot(), table), false, hadoop)) {
        throw new IOException("Cannot copy %s to %s".formatted(path, new Path(dataRoot(), table)));
      }
    }
  }

  /** Every decision so far: {@code article_id, market, week, discount}. */
  Dataset<Row> plan(SparkSession spark) {
    return spark.read().parquet(planDir().toString());
  }

  void appendDecisions(Dataset<Row> decisions) {
    decisions.select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(Columns.WEEK),
            col(Columns.DISCOUNT).cast(DataTypes.DoubleType).as(Columns.DISCOUNT))
        .write().mode(SaveMode.Append).parquet(planDir().toString());
  }

  Dataset<Row> realised(SparkSession spark) {
    return spark.read().parquet(realisedDir().toString());
  }

  void appendRealised(Dataset<Row> weekRows) {
    weekRows.write().mode(SaveMode.Append).parquet(realisedDir().toString());
  }

  /**
   * Adds the week realised to this policy's dataset root as the data contract has it: a weekly
   * row per (article, market) with stock on hand (units sold ≤ stock on hand; none after its
   * exit week or without stock), and the returns that arrived in the week by sale week.
   *
   * @param prefix the simulator's rows of every week so far (the week realised is the last)
   * @param population black price and exit week per (article, market)
   */
  void appendHistory(SparkSession spark, Dataset<Row> prefix, LocalDate week, LocalDate planWeek,
      Dataset<Row> population, GroundTruth truth) {
    Dataset<Row> weekRows = prefix.filter(col(Columns.WEEK).equalTo(lit(week)));
    var stock = round(col("stock_start")).cast(DataTypes.LongType);
    weekRows
        .join(population.select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col(Columns.BLACK_PRICE),
            col(Columns.EXIT_WEEK)), KEYS)
        .filter(col(Columns.WEEK).leq(col(Columns.EXIT_WEEK)))
        .select(
            col(Columns.ARTICLE_ID), col(Columns.MARKET), col(Columns.WEEK), col(Columns.BLACK_PRICE),
            col(Columns.DISCOUNT),
            least(round(col("units")).cast(DataTypes.LongType), stock).as(Columns.UNITS_SOLD),
            stock.as(Columns.STOCK_ON_HAND),
            round(col(Columns.FULFILLMENT_COST), 2).as(Columns.FULFILLMENT_COST),
            lit(0.0).as("x_promo"))
        .filter(col(Columns.STOCK_ON_HAND).gt(0))
        .write().mode(SaveMode.Append).partitionBy(Columns.WEEK)
        .parquet(new Path(dataRoot(), Columns.WEEKLY).toString());

    Dataset<Row> series = prefix
        .groupBy(col(Columns.ARTICLE_ID), col(Columns.MARKET))
        .agg(collect_list(struct(col(Columns.WEEK), col("returns"), col("returns_in"))).as("weeks"))
        .join(truth.parameters().select(col(Columns.ARTICLE_ID), col(Columns.MARKET), col("pending_returns"),
            col("return_lag_probabilities")), KEYS);
    JavaRDD<Row> returns = series.javaRDD().flatMap(row -> arrivals(row, planWeek, week).iterator());
    spark.createDataFrame(returns, RETURNS)
        .write().mode(SaveMode.Append).partitionBy(Columns.RETURN_WEEK)
        .parquet(new Path(dataRoot(), Columns.RETURNS).toString());
  }

  /**
   * The returns of one (article, market) that arrived in {@code week}, by sale week: those of the
   * season's sales, and those of the history's sales (pending at the season's start), whose sale
   * week the simulator does not report and {@link ReturnAttribution#history} estimates.
   */
  static List<Row> arrivals(Row row, LocalDate planWeek, LocalDate week) {
    List<Row> weeks = new ArrayList<>(row.<Row>getList(row.fieldIndex("weeks")));
    weeks.sort(Comparator.comparing(w -> Weeks.toLocalDate(w.get(0))));
    double[] returns = new double[weeks.size()];
    double[] arrivals = new double[weeks.size()];
    for (int i = 0; i < returns.length; i++) {
      returns[i] = weeks.get(i).getDouble(1);
      arrivals[i] = weeks.get(i).getDouble(2);
    }
    List<Object> pendingList = row.getList(row.fieldIndex("pending_returns"));
    long[] pending = new long[pendingList.size()];
    for (int i = 0; i < pending.length; i++) {
      pending[i] = ((Number) pendingList.get(i)).longValue();
    }
    double[][] split = ReturnAttribution.allocate(returns, arrivals, pending, TruthParams.MAX_RETURN_LAG);
    int t = Weeks.between(planWeek, week);
    List<Row> out = new ArrayList<>();
    if (t < 0 || t >= returns.length) {
      return out;
    }
    String articleId = row.getString(row.fieldIndex(Columns.ARTICLE_ID));
    String market = row.getString(row.fieldIndex(Columns.MARKET));
    for (int s = 0; s < t; s++) {
      long units = ReturnAttribution.units(split, s, t);
      if (units >= 1) {
        out.add(RowFactory.create(articleId, market, planWeek.plusWeeks(s), week, units));
      }
    }
    if (t < pending.length) {
      List<Double> lags = row.getList(row.fieldIndex("return_lag_probabilities"));
      long[] history = ReturnAttribution.history(pending[t], t,
          lags.stream().mapToDouble(Double::doubleValue).toArray());
      for (int j = 1; j <= history.length; j++) {
        if (history[j - 1] >= 1) {
          out.add(RowFactory.create(articleId, market, planWeek.minusWeeks(j), week, history[j - 1]));
        }
      }
    }
    return out;
  }
}
