package io.pricepath.forecast.model;

import java.io.Serializable;

/**
 * One forecast target's model: predicts a batch of dense feature rows. Spark-free and
 * serializable, so that it travels to the executors; an implementation builds any native state
 * lazily in the JVM that uses it, and {@link #close()} releases it (it is rebuilt on next use).
 *
 * <p>Implementations: an XGBoost booster ({@link #xgboost}), a constant ({@link #constant}), the
 * transformer network ({@link #transformer}, DJL; demand, monotone in the discount by
 * construction, and the return rate).
 */
public interface TargetModel extends Serializable, AutoCloseable {
  /**
   * Provenance hyperparameter of a booster trained on top of a base margin: the index of the
   * feature whose {@code log(1 + value)} (0 when missing) was each row's base margin.
   */
  String BASE_MARGIN_FEATURE = "base_margin_feature";


  /** The target it predicts. */
  Target target();

  /** Content hash: equal for the same data, settings and seed. */
  String version();

  /** Number of feature columns it reads. */
  int featureCount();

  /**
   * Predicts {@code rows} rows of {@code features} (row-major, {@code cols} columns each, {@code
   * NaN} = missing) into {@code out[0 .. rows)}. Raw model output: the caller clamps to the
   * target's range.
   *
   * @throws IllegalArgumentException when {@code cols} is not {@link #featureCount()} or the
   *     arrays are too short
   */
  void predict(float[] features, int rows, int cols, double[] out);

  /**
   * As {@link #predict}, for rows that come in runs of {@code levels} (the forecast grid: one run
   * per article, market and week, one row per ladder level) whose rows differ only in the columns
   * {@code decisionColumns} (the discount features). The same numbers; a model whose trees read
   * none of those columns (the demand model: its discount response is a margin term) evaluates
   * its trees once per run instead of once per row.
   *
   * @throws IllegalArgumentException as {@link #predict}, or when {@code rows} is not a multiple
   *     of {@code levels}
   */
  default void predictLevels(
      float[] features, int rows, int cols, int levels, int[] decisionColumns, double[] out) {
    if (levels < 1 || rows % levels != 0) {
      throw new IllegalArgumentException(
          "Cannot predict the %s model by levels: %d rows are not runs of %d levels"
              .formatted(target().column(), rows, levels));
    }
    predict(features, rows, cols, out);
  }

  /**
   * Whether {@link #predictLevels} evaluates this model's trees once per run of levels: none of
   * its trees reads a column of {@code decisionColumns}.
   */
  default boolean levelsShareTrees(int[] decisionColumns) {
    return false;
  }

  /** Where the model comes from. */
  Provenance provenance();

  /** Releases native resources; the model stays usable. */
  @Override
  default void close() {}

  /**
   * A model of an XGBoost booster saved as {@code bytes} (UBJSON, as {@code Booster.toByteArray}
   * writes it) reading {@code featureCount} columns.
   */
  static TargetModel xgboost(
      Target target, byte[] bytes, int featureCount, Provenance provenance) {
    return new BoosterModel(target, bytes, featureCount, provenance);
  }

  /**
   * The {@code target} output (demand or return rate) of a transformer network reading {@code
   * featureCount} columns (a layout with a sequence block).
   */
  static TargetModel transformer(
      Target target, io.pricepath.forecast.neural.ForecastNetwork network, int featureCount,
      Provenance provenance) {
    return new TransformerModel(target, network, featureCount, provenance);
  }

  /** A model that predicts {@code value} everywhere (a documented fallback). */
  static TargetModel constant(
      Target target, double value, int featureCount, Provenance provenance) {
    return new ConstantModel(target, value, featureCount, provenance);
  }
}
