package io.pricepath.forecast.backtest;

/**
 * Error sums of a forecast over a set of rows, from which WAPE and bias follow.
 *
 * @param absoluteError {@code Σ |actual − forecast|}
 * @param signedError {@code Σ (forecast − actual)}
 * @param actual {@code Σ actual}
 * @param n number of rows
 */
public record Accuracy(double absoluteError, double signedError, double actual, long n) {

  /** No rows. */
  public static final Accuracy EMPTY = new Accuracy(0, 0, 0, 0);

  public Accuracy {
    if (n < 0) {
      throw new IllegalArgumentException("row count (%d) must be >= 0".formatted(n));
    }
    if (!(absoluteError >= 0)) {
      throw new IllegalArgumentException(
          "absolute error (%s) must be >= 0".formatted(absoluteError));
    }
  }

  /** The sums of one row. */
  public static Accuracy of(double actual, double forecast) {
    return new Accuracy(Math.abs(actual - forecast), forecast - actual, actual, 1);
  }

  /** Weighted absolute percentage error {@code Σ|actual − forecast| / Σ actual}; NaN without actuals. */
  public double wape() {
    return actual > 0 ? absoluteError / actual : Double.NaN;
  }

  /** Bias {@code Σ(forecast − actual) / Σ actual}: positive when the forecast is too high; NaN without actuals. */
  public double bias() {
    return actual > 0 ? signedError / actual : Double.NaN;
  }

  /** The sums over both sets of rows. */
  public Accuracy plus(Accuracy other) {
    return new Accuracy(
        absoluteError + other.absoluteError,
        signedError + other.signedError,
        actual + other.actual,
        n + other.n);
  }
}
