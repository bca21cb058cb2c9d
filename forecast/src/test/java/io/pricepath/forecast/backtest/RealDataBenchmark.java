package io.pricepath.forecast.backtest;

import io.pricepath.contract.ContractTables;
import io.pricepath.contract.DatasetReader;
import io.pricepath.contract.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The issues' backtest protocol on the real datasets of {@code ../shared/data}, in full: demand
 * WAPE of pricepath against its two baselines and the anchors measured outside pricepath, and
 * whether it is 5 % better than the best of them, with each backtest's wall time. Not a test: run
 * {@code main([cheese|tuna])} with the test classpath and Spark's JVM flags (README, Benchmarks).
 */
public final class RealDataBenchmark {
  private RealDataBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<RealData> sets =
        args.length == 0
            ? List.of(RealData.CHEESE, RealData.TUNA)
            : List.of(args).stream()
                .map(a -> a.equals("tuna") ? RealData.TUNA : RealData.CHEESE)
                .toList();
    SparkSession spark = SparkSessions.local("RealDataBenchmark", 2, 4);
    spark.sparkContext().setLogLevel("ERROR");
    Path dir = Files.createTempDirectory("real-data-benchmark");
    for (RealData data : sets) {
      if (data.root() == null) {
        System.out.printf("%s: ../shared/data/%s is not beside the project%n", data.name(), data.name());
        continue;
      }
      ContractTables tables = DatasetReader.read(spark, data.root().toString());
      long t0 = System.nanoTime();
      BacktestResult r =
          Backtest.run(spark, tables, data.full(), dir.resolve(data.name()).toString(),
              dir.resolve(data.name() + "-cache").toString());
      double seconds = (System.nanoTime() - t0) / 1e9;
      double best =
          Math.min(
              Math.min(r.wape(BacktestResult.RECENT_MEAN), r.wape(BacktestResult.LOG_LOG)),
              data.anchorXgboost());
      System.out.printf("%n== %s: %d origins %s .. %s, %.0f s%n%s", data.name(),
          data.full().origins().size(), data.from(), data.to(), seconds, r.render());
      System.out.printf(
          "anchors outside pricepath: log-log %.3f, global XGBoost %.3f%n"
              + "pricepath %.3f against the best of baselines and XGBoost anchor %.3f: %+.1f %% (the goal: -5 %%)%n",
          data.anchorLogLog(), data.anchorXgboost(), r.wape(), best, 100 * (r.wape() / best - 1));
    }
    spark.stop();
  }
}
