package io.pricepath.forecast.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricepath.contract.SparkSessions;
import io.pricepath.features.ContractFixtures;
import io.pricepath.forecast.ForecastSettings;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real rolling-origin backtest on grocery-style data, unlike the fashion simulator's defaults
 * (see {@link GroceryMarket}): no stock, frequent short promotions flagged by {@code x_promo}
 * with temporary price cuts, black price changes, seasonality, drifting levels, gaps and launches
 * during the history. The primary model must beat both baselines' demand WAPE by at least 10 %;
 * the noise floor (the WAPE of the expected demand) is printed beside them.
 */
@Tag("slow") // accuracy gate, a 3-origin backtest (2-4 min); runs with mvn -B verify -Pslow
class GroceryBacktestTest {
  private static final int H = 4;
  private static final int WEEKS = 84;
  private static final ForecastSettings FORECAST =
      new ForecastSettings(
          H, new double[] {0, 0.1, 0.2, 0.3}, 52, 2, 4, 200, 6, 0.1, 42L, 2, 50, 4, 16_384);
  private static final LocalDate FIRST = ContractFixtures.START.plusWeeks(WEEKS - 3 * H);
  private static final BacktestSettings SETTINGS =
      new BacktestSettings(FIRST, FIRST.plusWeeks(2 * H), H, H, FORECAST);

  @TempDir static Path dir;
  private static SparkSession spark;
  private static BacktestResult result;

  @BeforeAll
  static void run() {
    spark = SparkSessions.local("GroceryBacktestTest", 2, 4);
    GroceryMarket market = GroceryMarket.generate(spark, 100, 3, WEEKS, 7L);
    String out = dir.resolve("out").toString();
    result = Backtest.run(spark, market.tables(), SETTINGS, out, dir.resolve("cache").toString());
    System.out.println(result.render());
    System.out.printf(
        "noise floor (WAPE of the expected demand over the same rows): %.3f%n",
        market.noiseFloor(
            spark.read().parquet(out + "/" + Backtest.PREDICTIONS).collectAsList()));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void thePrimaryModelBeatsBothBaselinesByTenPercent() {
    assertThat(result.n()).isGreaterThan(1000);
    double model = result.wape();
    assertThat(model).isLessThanOrEqualTo(0.9 * result.wape(BacktestResult.RECENT_MEAN));
    assertThat(model).isLessThanOrEqualTo(0.9 * result.wape(BacktestResult.LOG_LOG));
  }
}
