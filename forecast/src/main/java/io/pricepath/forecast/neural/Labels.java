package io.pricepath.forecast.neural;

/**
 * What the network learns from, per row of the feature array: units sold ({@code NaN}: no
 * demand label — a sold-out week, or a row of the other split), the share of them returned and
 * its weight (the units sold; 0: no return-rate label).
 */
public record Labels(double[] units, double[] returnRate, double[] returnWeight) {
  /** Demand labels only. */
  public static Labels demand(double[] units) {
    return new Labels(units, new double[units.length], new double[units.length]);
  }

  boolean hasDemand(int row) {
    return !Double.isNaN(units[row]);
  }

  boolean hasReturns(int row) {
    return returnWeight[row] > 0;
  }
}
