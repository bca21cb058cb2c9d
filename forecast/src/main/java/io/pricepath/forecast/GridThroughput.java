package io.pricepath.forecast;

/**
 * Throughput of the forecast grid, and the ceiling the raw demand model sets.
 *
 * @param gridRows rows the grid job wrote
 * @param gridSeconds wall time of the grid job (scoring inputs, features, five models, sink)
 * @param gridRowsPerSecond {@code gridRows / gridSeconds}
 * @param cores Spark's default parallelism (task slots) the job ran on
 * @param gridRowsPerSecondPerCore {@code gridRowsPerSecond / cores}
 * @param rawRows predictions of the raw in-process demand booster on one thread
 * @param rawSeconds their wall time
 * @param rawPredictionsPerSecond {@code rawRows / rawSeconds}: one core's ceiling for one model
 * @param featureWidth columns of the feature matrix
 * @param batchRows rows per prediction call
 * @param sink where the grid was written ({@code noop} or a Parquet path)
 */
public record GridThroughput(
    long gridRows,
    double gridSeconds,
    double gridRowsPerSecond,
    int cores,
    double gridRowsPerSecondPerCore,
    long rawRows,
    double rawSeconds,
    double rawPredictionsPerSecond,
    int featureWidth,
    int batchRows,
    String sink) {

  @Override
  public String toString() {
    return ("grid: %,d rows in %.2f s = %,.0f rows/s on %d cores (%,.0f rows/s per core);"
            + " raw demand booster: %,d predictions in %.2f s = %,.0f/s on one thread"
            + " (width %d, batches of %,d, sink %s)")
        .formatted(
            gridRows, gridSeconds, gridRowsPerSecond, cores, gridRowsPerSecondPerCore, rawRows,
            rawSeconds, rawPredictionsPerSecond, featureWidth, batchRows, sink);
  }
}
