package io.pricepath.forecast.train;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A target's training rows on Spark and on the driver: {@code rows} holds every one of them when
 * {@code complete}, else a sample that the margin terms are fitted on while the booster trains on
 * Spark.
 *
 * @param spark the rows on Spark (columns {@code features, _label, _weight} and the keys)
 * @param rows the rows on the driver
 * @param count the number of rows on Spark
 * @param complete whether {@code rows} holds every row
 */
record TrainingSet(Dataset<Row> spark, TrainingRows rows, long count, boolean complete) {
  /** The driver's rows of {@code subset}. */
  TrainingRows rows(Subset subset) {
    return subset.equals(Subset.ALL) ? rows : rows.where(i -> subset.test(rows, i));
  }

  /** Rows of {@code subset} on Spark. */
  Dataset<Row> spark(Subset subset) {
    return subset.equals(Subset.ALL) ? spark : spark.filter(subset.sql());
  }
}
