package io.pricepath.forecast.backtest;

import io.pricepath.contract.Weeks;
import io.pricepath.forecast.ForecastSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a rolling-origin backtest evaluates, validated on construction.
 *
 * @param from first forecast origin (a Monday)
 * @param to last possible origin (a Monday, not before {@code from}); origins are {@code from,
 *     from + every, …} up to it
 * @param every weeks between two origins (&ge; 1)
 * @param horizon weeks forecast from each origin (&ge; 1)
 * @param forecast training settings of the primary model; it is trained for {@code horizon}
 *     weeks (see {@link #training()}) and its training window also bounds the baselines' history
 */
public record BacktestSettings(
    LocalDate from, LocalDate to, int every, int horizon, ForecastSettings forecast,
    io.pricepath.forecast.ModelFamily compared) {

  /** A backtest of the settings' family alone. */
  public BacktestSettings(
      LocalDate from, LocalDate to, int every, int horizon, ForecastSettings forecast) {
    this(from, to, every, horizon, forecast, null);
  }

  /**
   * This backtest with {@code family} forecasting demand beside the settings' own, reported as
   * {@code pricepath_<family>} (null: none).
   */
  public BacktestSettings comparedWith(io.pricepath.forecast.ModelFamily family) {
    return new BacktestSettings(from, to, every, horizon, forecast, family);
  }

  /** The compared family's name in the report ({@code pricepath_trees}, {@code pricepath_transformer}). */
  public String comparedName() {
    return compared == null ? null : BacktestResult.PRICEPATH + "_" + compared.name();
  }

  /** The settings the compared family's models are trained with. */
  public ForecastSettings comparedTraining() {
    return training().withFamily(compared);
  }

  public BacktestSettings {
    if (from == null || !Weeks.isMonday(from)) {
      throw new IllegalArgumentException(
          "Cannot configure the backtest: the first origin must be a Monday (%s)".formatted(from));
    }
    if (to == null || !Weeks.isMonday(to)) {
      throw new IllegalArgumentException(
          "Cannot configure the backtest: the last origin must be a Monday (%s)".formatted(to));
    }
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "Cannot configure the backtest: the last origin %s is before the first (%s)"
              .formatted(to, from));
    }
    if (every < 1) {
      throw new IllegalArgumentException(
          "Cannot configure the backtest: weeks between origins must be >= 1 (%d)".formatted(every));
    }
    if (horizon < 1) {
      throw new IllegalArgumentException(
          "Cannot configure the backtest: the horizon must be >= 1 week (%d)".formatted(horizon));
    }
    Objects.requireNonNull(forecast, "forecast");
    if (compared != null && compared.name().equals(forecast.family().name())) {
      throw new IllegalArgumentException(
          "Cannot compare the %s family with itself: compare trees with transformer".formatted(compared.name()));
    }
  }

  /** The origins, oldest first: {@code from + k·every} for {@code k = 0, 1, …} not after {@code to}. */
  public List<LocalDate> origins() {
    List<LocalDate> out = new ArrayList<>();
    for (LocalDate o = from; !o.isAfter(to); o = o.plusWeeks(every)) {
      out.add(o);
    }
    return out;
  }

  /** The settings each origin's models are trained with: {@link #forecast} for {@link #horizon} weeks. */
  public ForecastSettings training() {
    return forecast.withPlan(horizon, forecast.ladder());
  }
}
