package io.pricepath.simulate;

import static io.pricepath.contract.Columns.ARTICLES;
import static io.pricepath.contract.Columns.ARTICLE_ID;
import static io.pricepath.contract.Columns.EXIT_WEEK;
import static io.pricepath.contract.Columns.MARKET;
import static io.pricepath.contract.Columns.RESIDUALS;
import static io.pricepath.contract.Columns.RESIDUAL_VALUE;
import static io.pricepath.contract.Columns.RETURNS;
import static io.pricepath.contract.Columns.RETURN_WEEK;
import static io.pricepath.contract.Columns.STOCK_ON_HAND;
import static io.pricepath.contract.Columns.UNITS_SOLD;
import static io.pricepath.contract.Columns.WEEK;
import static io.pricepath.contract.Columns.WEEKLY;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Generates a synthetic dataset root that follows the data contract (v1), with known ground
 * truth.
 *
 * <p>Articles belong to 8 categories and 16 brands; each sells in the first market and in each
 * other market with probability 0.9. About 40 % exit before the plan week (they get a {@code
 * residuals/} row per market), the rest are live at it, launched at staggered weeks. Weekly
 * demand is a gamma-Poisson draw around the true expected demand (see {@link
 * GroundTruth#expectedDemand}: life cycle, category seasonality, market size, {@code
 * exp(elasticity · discount)}, promotion lift); sales are capped by stock, and a week that sells
 * out is censored ({@code units_sold = stock_on_hand}). Stock is an initial buy per
 * article-market, sometimes one replenishment in the first weeks, plus returned units. The buyers
 * know their initial buys before launch, so {@code articles/} carries their sum over the markets
 * as {@code x_planned_units}. Discounts
 * follow markdowns-only paths on a 0.05 grid (scheduled steps, faster when stock is slow, and
 * random exploration). Returns follow category return rates that fall with the discount and come
 * back 1–4 weeks later.
 *
 * <p>Stock convention: {@code stock_on_hand} of a week counts what arrives at its start (the
 * initial buy, a replenishment, returns whose {@code return_week} is that week). A weekly row is
 * written for each week between launch and exit (or the last history week) that starts with
 * stock. The stock carried into the plan week is therefore exactly the contract's default: the
 * last {@code stock_on_hand} minus that week's {@code units_sold}; history returns arriving from
 * the plan week on are not in it (see {@link GroundTruth#startingState}).
 *
 * <p>The same config gives the same tables, whatever the partitioning: each article draws from
 * a stream seeded by (seed, article index). Rows are generated on the executors, a range of
 * article indexes per partition.
 */
public final class MarketSimulator {
  private MarketSimulator() {}

  /**
   * Writes {@code articles/}, {@code weekly/} (partitioned by {@code week}), {@code returns/}
   * (partitioned by {@code return_week}), {@code residuals/} and {@code truth/} ({@code params/}
   * and {@code truth.json}) under {@code root} as snappy Parquet, replacing those tables.
   *
   * @param root a local path, {@code file://…} or {@code s3a://…} folder
   * @return row counts and shares of what was written
   */
  public static GenerationSummary generate(SparkSession spark, SimulatorConfig config, String root) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(root, "root");
    if (root.isBlank()) {
      throw new IllegalArgumentException("Cannot generate dataset: root is blank (\"%s\")".formatted(root));
    }
    long started = System.nanoTime();
    String base = TruthFile.trimRoot(root);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int parts = config.effectivePartitions(jsc.defaultParallelism());
    List<Integer> ids = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      ids.add(p);
    }
    JavaRDD<Integer> partitions = jsc.parallelize(ids, parts);
    int fewFiles = Math.max(1, parts / 8);

    Dataset<Row> articles =
        frame(spark, partitions, config, parts, false, Kind.ARTICLES, SimulatedTables.ARTICLES);
    write(articles.coalesce(fewFiles), base + "/" + ARTICLES, null);

    Dataset<Row> truth =
        frame(spark, partitions, config, parts, true, Kind.TRUTH, SimulatedTables.TRUTH_SCHEMA);
    write(truth, base + "/" + SimulatedTables.TRUTH_PARAMS, null);
    Dataset<Row> params = spark.read().parquet(base + "/" + SimulatedTables.TRUTH_PARAMS);

    Dataset<Row> residuals =
        params
            .filter(col(EXIT_WEEK).lt(lit(config.planWeek())))
            .select(col(ARTICLE_ID), col(MARKET), col(RESIDUAL_VALUE));
    write(residuals.coalesce(fewFiles), base + "/" + RESIDUALS, null);

    Dataset<Row> weekly =
        frame(spark, partitions, config, parts, true, Kind.WEEKLY, SimulatedTables.WEEKLY);
    write(weekly.repartition(col(WEEK)), base + "/" + WEEKLY, WEEK);

    Dataset<Row> returns =
        frame(spark, partitions, config, parts, true, Kind.RETURNS, SimulatedTables.RETURNS);
    write(returns.repartition(col(RETURN_WEEK)), base + "/" + RETURNS, RETURN_WEEK);

    TruthFile.write(spark, base, config);

    Row weeklyCounts =
        spark.read().parquet(base + "/" + WEEKLY)
            .agg(
                count(lit(1)),
                sum(when(col(UNITS_SOLD).geq(col(STOCK_ON_HAND)), 1).otherwise(0)))
            .first();
    Row truthCounts =
        params
            .agg(
                count(lit(1)),
                sum(when(col(EXIT_WEEK).geq(lit(config.planWeek())).and(col("start_stock").gt(0)), 1)
                    .otherwise(0)),
                sum(when(
                        col(EXIT_WEEK).geq(lit(config.planWeek()))
                            .and(col("start_stock").gt(0))
                            .and(col(EXIT_WEEK).lt(lit(config.planWeek().plusWeeks(12)))),
                        1)
                    .otherwise(0)))
            .first();
    long returnRows = spark.read().parquet(base + "/" + RETURNS).count();
    long residualRows = spark.read().parquet(base + "/" + RESIDUALS).count();
    return new GenerationSummary(
        base,
        config,
        config.articles(),
        truthCounts.getLong(0),
        weeklyCounts.getLong(0),
        nullToZero(weeklyCounts.get(1)),
        returnRows,
        residualRows,
        nullToZero(truthCounts.get(1)),
        nullToZero(truthCounts.get(2)),
        (System.nanoTime() - started) / 1_000_000);
  }

  private static long nullToZero(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  private enum Kind {
    ARTICLES,
    TRUTH,
    WEEKLY,
    RETURNS
  }

  private static Dataset<Row> frame(
      SparkSession spark,
      JavaRDD<Integer> partitions,
      SimulatorConfig config,
      int parts,
      boolean simulate,
      Kind kind,
      StructType schema) {
    JavaRDD<Row> rows = partitions.mapPartitions(generator(config, parts, simulate, kind));
    return spark.createDataFrame(rows, schema);
  }

  private static FlatMapFunction<Iterator<Integer>, Row> generator(
      SimulatorConfig config, int parts, boolean simulate, Kind kind) {
    return ids -> {
      ArticleGenerator generator = new ArticleGenerator(config);
      Function<ArticleHistory, List<Row>> toRows =
          switch (kind) {
            case ARTICLES -> a -> List.of(SimulatedTables.articleRow(a));
            case TRUTH -> SimulatedTables::truthRows;
            case WEEKLY -> a -> SimulatedTables.weeklyRows(config, a);
            case RETURNS -> a -> SimulatedTables.returnRows(config, a);
          };
      List<Iterator<Row>> chunks = new ArrayList<>();
      while (ids.hasNext()) {
        int p = ids.next();
        int from = (int) ((long) p * config.articles() / parts);
        int to = (int) ((long) (p + 1) * config.articles() / parts);
        chunks.add(
            IntStream.range(from, to)
                .mapToObj(i -> generator.generate(i, simulate))
                .flatMap(a -> toRows.apply(a).stream())
                .iterator());
      }
      return chunks.stream().flatMap(it -> iterate(it)).iterator();
    };
  }

  private static java.util.stream.Stream<Row> iterate(Iterator<Row> it) {
    return java.util.stream.StreamSupport.stream(
        java.util.Spliterators.spliteratorUnknownSize(it, java.util.Spliterator.ORDERED), false);
  }

  private static void write(Dataset<Row> frame, String path, String partitionColumn) {
    var writer =
        frame.write()
            .mode(SaveMode.Overwrite)
            .option("partitionOverwriteMode", "static")
            .option("compression", "snappy");
    if (partitionColumn != null) {
      writer = writer.partitionBy(partitionColumn);
    }
    writer.parquet(path);
  }
}
