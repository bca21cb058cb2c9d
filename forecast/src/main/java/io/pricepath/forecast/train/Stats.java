package io.pricepath.forecast.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import io.pricepath.contract.Columns;
import io.pricepath.features.FeatureBuilder;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Row count, label and weight sums of a target's training rows, and a fingerprint of their keys,
 * labels and weights that is independent of row order.
 */
record Stats(long rows, double weight, double weightedLabel, String fingerprint) {
  static final Stats NONE = new Stats(0, 0, 0, "none");

  double weightedMean() {
    return weight > 0 ? weightedLabel / weight : 0;
  }

  /** The stats of {@code rows} (columns {@code _label, _weight} and the keys), one Spark job. */
  static Stats of(Dataset<Row> rows, boolean weekly) {
    Row r =
        rows.agg(
                count(lit(1)),
                sum(col(TrainingRows.WEIGHT)),
                sum(col(TrainingRows.LABEL).multiply(col(TrainingRows.WEIGHT))),
                sum(rowHash(weekly)))
            .first();
    long n = r.getLong(0);
    double w = r.isNullAt(1) ? 0 : r.getDouble(1);
    double lw = r.isNullAt(2) ? 0 : r.getDouble(2);
    long hash = r.isNullAt(3) ? 0 : ((Number) r.get(3)).longValue();
    return of(n, w, lw, hash);
  }

  /** The stats of rows already on the driver: their count, sums and the sum of {@link #rowHash}. */
  static Stats of(long rows, double weight, double weightedLabel, long hashSum) {
    return new Stats(rows, weight, weightedLabel, "rows=%d;hash=%d".formatted(rows, hashSum));
  }

  /**
   * A row's share of the fingerprint: a hash of its keys, label and weight in [0, 2^31 − 1), so
   * that the sum over the rows does not depend on their order (and fits a long).
   */
  static Column rowHash(boolean weekly) {
    List<Column> keys = new ArrayList<>();
    keys.add(col(Columns.ARTICLE_ID));
    keys.add(col(Columns.MARKET));
    if (weekly) {
      keys.add(col(FeatureBuilder.ORIGIN).cast(DataTypes.StringType));
      keys.add(col(Columns.WEEK).cast(DataTypes.StringType));
    }
    keys.add(col(TrainingRows.LABEL));
    keys.add(col(TrainingRows.WEIGHT));
    return pmod(xxhash64(keys.toArray(new Column[0])), lit(2_147_483_647L));
  }
}
