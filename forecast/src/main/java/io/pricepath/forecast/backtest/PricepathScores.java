package io.pricepath.forecast.backtest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;

import io.pricepath.contract.Columns;
import io.pricepath.features.FeatureBuilder;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.train.SharedSamples;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The primary model's forecasts of the rows that actually happened after an origin: the feature
 * rows are the samples ({@link FeatureBuilder#trainingSamples}) of the origin with its weeks as
 * the plan window (history features read only rows before the origin; the target week contributes its
 * discount and {@code x_*} signals, known in advance), scored with the origin's models.
 */
final class PricepathScores {
  private PricepathScores() {}

  static final String ACTUAL = "actual";
  static final String CENSORED = "censored";
  static final String FORECAST = "forecast_pricepath";
  static final String RETURN_RATE = "_forecast_return_rate";
  static final String FULFILLMENT = "_forecast_fulfillment_per_unit";

  private static final StructType SCHEMA =
      new StructType()
          .add(Columns.ARTICLE_ID, DataTypes.StringType, false)
          .add(Columns.MARKET, DataTypes.StringType, false)
          .add(FeatureBuilder.H, DataTypes.IntegerType, false)
          .add(Columns.DISCOUNT, DataTypes.DoubleType, false)
          .add(ACTUAL, DataTypes.DoubleType, false)
          .add(CENSORED, DataTypes.BooleanType, false)
          .add(Columns.FULFILLMENT_COST, DataTypes.DoubleType, true)
          .add(FORECAST, DataTypes.DoubleType, false)
          .add(RETURN_RATE, DataTypes.DoubleType, false)
          .add(FULFILLMENT, DataTypes.DoubleType, false);

  /**
   * One row per weekly row in {@code [origin, origin + horizon)}: {@code origin, h,
   * article_id, market, week, discount, actual, censored, fulfillment_cost,
   * forecast_pricepath} and the return-rate and fulfillment-cost-per-unit forecasts.
   */
  static Dataset<Row> score(
      SharedSamples shared, LocalDate origin, int horizon, ModelSet models, int batchRows) {
    Dataset<Row> samples = shared.rows(List.of(origin), origin.plusWeeks(horizon), horizon);
    return FeatureBuilder.withFeatures(
            samples, models.layout(),
            List.of(Columns.ARTICLE_ID, Columns.MARKET, FeatureBuilder.H, Columns.DISCOUNT,
                Columns.UNITS_SOLD, FeatureBuilder.CENSORED, Columns.FULFILLMENT_COST))
        .select(
            col(Columns.ARTICLE_ID),
            col(Columns.MARKET),
            col(FeatureBuilder.H),
            col(Columns.DISCOUNT).cast(DataTypes.DoubleType),
            col(Columns.UNITS_SOLD).cast(DataTypes.DoubleType),
            coalesce(col(FeatureBuilder.CENSORED), lit(false)),
            col(Columns.FULFILLMENT_COST).cast(DataTypes.DoubleType),
            col(FeatureBuilder.FEATURES))
        .mapPartitions(
            new Scoring(io.pricepath.forecast.Forecast.broadcast(samples.sparkSession(), models),
                batchRows),
            Encoders.row(SCHEMA))
        .select(
            lit(origin).as(Baselines.ORIGIN),
            col(FeatureBuilder.H),
            col(Columns.ARTICLE_ID),
            col(Columns.MARKET),
            date_add(lit(origin), col(FeatureBuilder.H).minus(1).multiply(7)).as(Columns.WEEK),
            col(Columns.DISCOUNT),
            col(ACTUAL),
            col(CENSORED),
            col(Columns.FULFILLMENT_COST),
            col(FORECAST),
            col(RETURN_RATE),
            col(FULFILLMENT));
  }

  /**
   * Scores rows {@code article_id, market, h, discount, units, censored, cost, features} in
   * batches, with the executor's one instance of the broadcast models.
   */
  private record Scoring(Broadcast<ModelSet> shared, int batchRows)
      implements MapPartitionsFunction<Row, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      ModelSet models = shared.value();
      int width = models.layout().width();
      return new Iterator<>() {
        private final Row[] rows = new Row[batchRows];
        private final float[] x = new float[batchRows * width];
        private final double[][] out = new double[3][batchRows];
        private int size;
        private int next;

        @Override
        public boolean hasNext() {
          if (next < size) {
            return true;
          }
          size = 0;
          next = 0;
          while (size < batchRows && input.hasNext()) {
            Row r = input.next();
            copyFeatures(r.get(7), x, size * width, width);
            rows[size++] = r;
          }
          if (size == 0) {
            return false;
          }
          models.get(Target.DEMAND).predict(x, size, width, out[0]);
          models.get(Target.RETURN_RATE).predict(x, size, width, out[1]);
          models.get(Target.FULFILLMENT_COST_PER_UNIT).predict(x, size, width, out[2]);
          return true;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          int i = next++;
          Row r = rows[i];
          return RowFactory.create(
              r.getString(0),
              r.getString(1),
              r.getInt(2),
              r.getDouble(3),
              r.getDouble(4),
              r.getBoolean(5),
              r.isNullAt(6) ? null : r.getDouble(6),
              atLeastZero(out[0][i]),
              Math.min(1.0, atLeastZero(out[1][i])),
              atLeastZero(out[2][i]));
        }
      };
    }
  }

  private static void copyFeatures(Object value, float[] x, int offset, int width) {
    if (value instanceof float[] f) {
      System.arraycopy(f, 0, x, offset, width);
      return;
    }
    scala.collection.Seq<?> seq = (scala.collection.Seq<?>) value;
    if (seq.size() != width) {
      throw new IllegalArgumentException(
          "Cannot score: a feature row has %d values, the models read %d"
              .formatted(seq.size(), width));
    }
    for (int i = 0; i < width; i++) {
      x[offset + i] = ((Number) seq.apply(i)).floatValue();
    }
  }

  /** {@code v} clamped to {@code >= 0}; NaN reads as 0. */
  static double atLeastZero(double v) {
    return v > 0 ? v : 0.0;
  }
}
