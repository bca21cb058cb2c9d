package io.pricepath.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.contract.Weeks;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The layout of each plan week from one {@link LayoutHistory}, on the driver, without Spark. */
class LayoutHistoryTest {
  private static final LocalDate W0 = LocalDate.of(2024, 1, 1);

  private static int week(int k) {
    return Weeks.between(FeatureBuilder.EPOCH_MONDAY, W0.plusWeeks(k));
  }

  /** Pairs whose units fall by exp(-e · change) with every 0.05 step of discount change. */
  private static List<LayoutHistory.PairGroup> pairs(int week, double e, boolean same) {
    List<LayoutHistory.PairGroup> out = new ArrayList<>();
    for (int change = -4; change <= 4; change++) {
      double before = 10_000;
      out.add(new LayoutHistory.PairGroup(
          week, change, same, before * Math.exp(e * change / 20.0), before, 50));
    }
    return out;
  }

  private static LayoutHistory history(List<String> signals, List<LayoutHistory.PairGroup> pairs) {
    FeatureLayout.Vocabulary none = new FeatureLayout.Vocabulary("category", List.of());
    return new LayoutHistory(
        none, new FeatureLayout.Vocabulary("brand", List.of()), List.of(), List.of(), signals,
        Map.of("DE", week(0), "FR", week(10)), pairs);
  }

  @Test
  void eachPlanWeekSeesOnlyTheMarketsAndPairsBeforeIt() {
    List<LayoutHistory.PairGroup> pairs = new ArrayList<>(pairs(week(5), 2.0, true));
    pairs.addAll(pairs(week(12), 4.0, true));
    LayoutHistory h = history(List.of(), pairs);

    assertThat(h.layoutAt(W0.plusWeeks(10)).spec().market().values()).containsExactly("DE");
    assertThat(h.layoutAt(W0.plusWeeks(11)).spec().market().values()).containsExactly("DE", "FR");
    assertThat(h.referenceElasticity(W0.plusWeeks(5))).isZero();
    assertThat(h.referenceElasticity(W0.plusWeeks(6))).isCloseTo(2.0, within(1e-3));
    assertThat(h.layoutAt(W0.plusWeeks(13)).spec().referenceElasticity())
        .isStrictlyBetween(2.0, 4.0);
  }

  @Test
  void pairsWithOtherSignalsCountOnlyWhenThoseWithTheSameAreTooFew() {
    List<LayoutHistory.PairGroup> pairs = new ArrayList<>(pairs(week(3), 1.0, false));
    LayoutHistory h = history(List.of("x_promo"), pairs);
    assertThat(h.referenceElasticity(W0.plusWeeks(4))).isCloseTo(1.0, within(1e-3));
    pairs.addAll(pairs(week(3), 3.0, true));
    assertThat(history(List.of("x_promo"), pairs).referenceElasticity(W0.plusWeeks(4)))
        .isCloseTo(3.0, within(1e-3));
    // a change seen in fewer than 20 pairs does not count; clamped to [0, 10]
    LayoutHistory thin = history(List.of(), List.of(
        new LayoutHistory.PairGroup(week(3), 1, true, 100, 10, 19),
        new LayoutHistory.PairGroup(week(3), 0, true, 100, 100, 50),
        new LayoutHistory.PairGroup(week(3), 2, true, 1e6, 100, 50)));
    assertThat(thin.referenceElasticity(W0.plusWeeks(4))).isEqualTo(10.0);
  }
}
