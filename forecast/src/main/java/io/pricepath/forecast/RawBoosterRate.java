package io.pricepath.forecast;

import io.pricepath.forecast.model.Target;
import java.util.Map;

/**
 * Predictions of the raw in-process demand booster on one thread: one core's ceiling for one
 * model, the yardstick of the forecast grid's throughput.
 *
 * @param rows predictions made
 * @param seconds their wall time
 * @param width columns of the feature matrix
 * @param batchRows rows per prediction call
 * @param gridRowsPerSecond per model scored by runs of ladder levels as the grid scores it ({@link
 *     io.pricepath.forecast.model.TargetModel#predictLevels}, trees once per run where they read no
 *     discount feature): grid rows per second on the one thread
 */
public record RawBoosterRate(long rows, double seconds, int width, int batchRows,
    Map<Target, Double> gridRowsPerSecond) {
  /** Predictions per second on the one thread. */
  public double perSecond() {
    return rows / seconds;
  }
}
