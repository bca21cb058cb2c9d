package io.pricepath.contract;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Spark schemas of the run's outputs, as the data contract lays them out. */
public final class OutputLayouts {
  private OutputLayouts() {}

  /**
   * {@code forecasts/}: one row per (article, market, week in horizon, discount level); reading it
   * back with this schema keeps its partition column {@code market} a string (0101 stays "0101").
   */
  public static final StructType FORECASTS = new StructType()
      .add(Columns.ARTICLE_ID, DataTypes.StringType)
      .add(Columns.MARKET, DataTypes.StringType)
      .add(Columns.WEEK, DataTypes.DateType)
      .add(Columns.DISCOUNT, DataTypes.DoubleType)
      .add(Columns.DEMAND, DataTypes.DoubleType)
      .add(Columns.RETURN_RATE, DataTypes.DoubleType)
      .add(Columns.RETURN_WEEKS, DataTypes.DoubleType)
      .add(Columns.FULFILLMENT_COST_PER_UNIT, DataTypes.DoubleType)
      .add(Columns.RESIDUAL_VALUE_PER_UNIT, DataTypes.DoubleType)
      .add(Columns.MODEL_VERSION, DataTypes.StringType);
}
