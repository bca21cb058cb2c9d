package io.pricepath.forecast.model;

import io.pricepath.contract.Columns;

/** The five forecast targets, named as the forecast grid's columns. */
public enum Target {
  /** Gross units that would sell if stock were unlimited; non-decreasing in the discount. */
  DEMAND(Columns.DEMAND, false),
  /** Share of sold units that come back, in [0, 1]. */
  RETURN_RATE(Columns.RETURN_RATE, false),
  /** Weeks until a returned unit is sellable again, &ge; 0. */
  RETURN_WEEKS(Columns.RETURN_WEEKS, false),
  /** Cost per sold unit of shipping and handling (returns included), &ge; 0. */
  FULFILLMENT_COST_PER_UNIT(Columns.FULFILLMENT_COST_PER_UNIT, false),
  /** Value per unit of stock left after the exit week, &ge; 0; one per (article, market). */
  RESIDUAL_VALUE_PER_UNIT(Columns.RESIDUAL_VALUE_PER_UNIT, true);

  private final String column;
  private final boolean articleLevel;

  Target(String column, boolean articleLevel) {
    this.column = column;
    this.articleLevel = articleLevel;
  }

  /** The grid column and model folder name. */
  public String column() {
    return column;
  }

  /**
   * Whether the target reads only the article block of the feature vector (one value per
   * (article, market)) rather than the full vector.
   */
  public boolean articleLevel() {
    return articleLevel;
  }

  /** The target named {@code column}. */
  public static Target of(String column) {
    for (Target t : values()) {
      if (t.column.equals(column)) {
        return t;
      }
    }
    throw new IllegalArgumentException("Cannot find target: unknown name (%s)".formatted(column));
  }
}
