package io.pricepath.forecast.registry;

import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Provenance;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cheap model sets (constants, no training) and a clock that ticks a minute per reading. */
final class RegistryFixtures {
  private RegistryFixtures() {}

  static final FeatureLayout LAYOUT =
      new FeatureLayout(
          new FeatureLayout.Spec(
              new FeatureLayout.Vocabulary("market", List.of("DE", "FR")),
              new FeatureLayout.Vocabulary("category", List.of("shirts")),
              new FeatureLayout.Vocabulary("brand", List.of()),
              List.of(),
              List.of(),
              List.of()));

  /** A set of five constant models; {@code demand} makes its version. */
  static ModelSet set(double demand, String planWeek) {
    List<TargetModel> models = new ArrayList<>();
    for (Target t : Target.values()) {
      int width = t.articleLevel() ? LAYOUT.articleWidth() : LAYOUT.width();
      List<String> names = LAYOUT.names().subList(0, width);
      Provenance p =
          new Provenance(
              t.column(),
              "constant",
              planWeek,
              "2024-01-29",
              "2024-09-30",
              names,
              LAYOUT.spec(),
              "mean of the training labels",
              Map.of(),
              42L,
              Map.of("java", "17"),
              "rows=120;hash=" + t.ordinal(),
              120 + t.ordinal(),
              Map.of("holdout_wape", 0.5),
              List.of());
      models.add(TargetModel.constant(t, t == Target.DEMAND ? demand : 1 + t.ordinal(), width, p));
    }
    return ModelSet.of(LAYOUT, models);
  }

  /** Backtest metrics with the primary model's and both baselines' demand WAPE. */
  static Map<String, Double> metrics(double wape, double recentMean, double loglog) {
    return Map.of(
        "wape",
        wape,
        "bias",
        -0.01,
        "n",
        1200.0,
        "wape_recent_mean",
        recentMean,
        "wape_loglog_elasticity",
        loglog);
  }

  /** A clock that starts at {@code start} and moves a minute forward on every reading. */
  static final class TickingClock extends Clock {
    private Instant next;

    TickingClock(Instant start) {
      this.next = start;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public synchronized Instant instant() {
      Instant now = next;
      next = next.plus(1, ChronoUnit.MINUTES);
      return now;
    }
  }
}
