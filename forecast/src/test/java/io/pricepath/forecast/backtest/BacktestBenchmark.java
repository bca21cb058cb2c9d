package io.pricepath.forecast.backtest;

import io.pricepath.contract.ContractTables;
import io.pricepath.contract.DatasetReader;
import io.pricepath.contract.SparkSessions;
import io.pricepath.features.ContractFixtures;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.simulate.SampleMarkets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;

/**
 * Prints the backtest of the primary model against the two baselines on {@link
 * SampleMarkets#SMALL} (origins every 4 weeks over weeks 36–52 of its 60, horizon 4) and on a
 * contract fixture without stock, returns or residuals. Not a test: run {@code main(rounds)} with
 * the test classpath and Spark's JVM flags; the output folders are printed.
 */
public final class BacktestBenchmark {
  private BacktestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    SparkSession spark = SparkSessions.local("BacktestBenchmark", 2, 4);
    spark.sparkContext().setLogLevel("ERROR");
    Path dir = Files.createTempDirectory("backtest-benchmark");
    ForecastSettings forecast =
        new ForecastSettings(
                4, new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5}, 36, 4, 4, rounds, 4, 0.2, 42L, 2,
                20, 4, 8192)
            .withTrees(rounds, 4, 0.2);

    ContractTables sample = DatasetReader.read(spark, SampleMarkets.small(spark, dir));
    LocalDate start = LocalDate.of(2024, 1, 1);
    run(spark, "SampleMarkets.small", sample,
        new BacktestSettings(start.plusWeeks(36), start.plusWeeks(52), 4, 4, forecast), dir);

    ContractTables bare =
        ContractFixtures.build(spark, new ContractFixtures.Spec(200, 2, 52, false, false, false, 11L));
    run(spark, "ContractFixtures (no stock, returns, residuals)", bare,
        new BacktestSettings(
            ContractFixtures.START.plusWeeks(32), ContractFixtures.START.plusWeeks(44), 4, 4,
            forecast.withTraining(28, 4, 4)),
        dir);
    spark.stop();
  }

  private static void run(
      SparkSession spark, String name, ContractTables tables, BacktestSettings settings, Path dir) {
    Path out = dir.resolve(name.replaceAll("[^A-Za-z]", "_"));
    long t0 = System.nanoTime();
    BacktestResult r =
        Backtest.run(spark, tables, settings, out.resolve("out").toString(), out.resolve("cache").toString());
    System.out.printf("%n== %s (%.1f s)%n%s", name, (System.nanoTime() - t0) / 1e9, r.render());
  }
}
