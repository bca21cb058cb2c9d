package io.pricepath.forecast;

/**
 * Predictions of the raw in-process demand booster on one thread: one core's ceiling for one
 * model, the yardstick of the forecast grid's throughput.
 *
 * @param rows predictions made
 * @param seconds their wall time
 * @param width columns of the feature matrix
 * @param batchRows rows per prediction call
 */
public record RawBoosterRate(long rows, double seconds, int width, int batchRows) {
  /** Predictions per second on the one thread. */
  public double perSecond() {
    return rows / seconds;
  }
}
