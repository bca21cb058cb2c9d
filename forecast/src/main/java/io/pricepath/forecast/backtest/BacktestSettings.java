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
    LocalDate from, LocalDate to, int every, int horizon, ForecastSettings forecast) {

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
