package io.pricepath.forecast.backtest;

import io.pricepath.forecast.ForecastSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The real retail datasets of {@code ../shared/data} (see its README): where they are, the
 * backtest protocol of the issues, and the anchors measured outside pricepath on the same rows.
 *
 * @param name the dataset root's name
 * @param from first origin of the full protocol
 * @param to last origin of the full protocol
 * @param anchorLogLog per-series log-log WAPE measured outside pricepath
 * @param anchorXgboost one global XGBoost's WAPE measured outside pricepath
 */
record RealData(String name, LocalDate from, LocalDate to, double anchorLogLog,
    double anchorXgboost) {
  static final RealData CHEESE =
      new RealData("cheese", LocalDate.of(1990, 10, 1), LocalDate.of(1991, 3, 18), 0.221, 0.219);
  static final RealData TUNA =
      new RealData("tuna", LocalDate.of(1994, 6, 20), LocalDate.of(1996, 4, 22), 0.447, 0.432);

  /** Horizon and origin step of the protocol. */
  static final int H = 4;

  /** The settings of {@code pricepath backtest} with the shipped configuration's defaults. */
  static ForecastSettings forecast() {
    return new ForecastSettings(
        H, new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}, 52, 2, 4, 400, 6, 0.1, 42L, 2, 50,
        6, 65_536);
  }

  /** The dataset root, or null where {@code ../shared/data} is not beside the project. */
  Path root() {
    for (Path p : new Path[] {Path.of("../shared/data", name), Path.of("../../shared/data", name)}) {
      if (Files.isDirectory(p.resolve("weekly"))) {
        return p.toAbsolutePath().normalize();
      }
    }
    return null;
  }

  /** The full protocol's settings. */
  BacktestSettings full() {
    return new BacktestSettings(from, to, H, H, forecast());
  }

  /** The protocol's last {@code origins} origins (a short run for the default suite). */
  BacktestSettings last(int origins) {
    return new BacktestSettings(to.minusWeeks((long) H * (origins - 1)), to, H, H, forecast());
  }
}
