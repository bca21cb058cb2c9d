package io.pricepath.forecast.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pricepath.contract.ContractTables;
import io.pricepath.contract.DatasetReader;
import io.pricepath.contract.SparkSessions;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backtests on real store scanner data that no one here generated ({@code ../shared/data}:
 * {@code cheese}, {@code tuna}), the last two origins of the issues' protocol with the shipped
 * defaults, beside both baselines. The full protocol and its figures against the outside anchors
 * are {@link RealDataBenchmark}'s.
 */
class RealDataBacktestTest {
  @TempDir static Path dir;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local("RealDataBacktestTest", 2, 4);
    spark.sparkContext().setLogLevel("ERROR");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static BacktestResult backtest(RealData data) {
    Path root = data.root();
    assumeTrue(root != null, "../shared/data/" + data.name() + " is not beside the project");
    ContractTables tables = DatasetReader.read(spark, root.toString());
    Path out = dir.resolve(data.name());
    BacktestResult result =
        Backtest.run(spark, tables, data.last(2), out.resolve("out").toString(),
            out.resolve("cache").toString());
    System.out.printf("%n== %s, last 2 origins of the protocol%n%s", data.name(), result.render());
    return result;
  }

  @Test
  void cheeseIsForecastFarBetterThanItsRecentMean() {
    BacktestResult r = backtest(RealData.CHEESE);
    assertThat(r.n()).isGreaterThan(300);
    assertThat(r.wape()).isLessThan(0.85 * r.wape(BacktestResult.RECENT_MEAN));
    assertThat(Math.abs(r.bias())).isLessThan(0.1);
  }

  @Test
  void tunaIsForecastBetterThanItsRecentMean() {
    BacktestResult r = backtest(RealData.TUNA);
    assertThat(r.n()).isGreaterThan(40);
    assertThat(r.wape()).isLessThan(r.wape(BacktestResult.RECENT_MEAN));
  }
}
