package io.pricepath.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The truth functions and the plan replay, without Spark. */
class PlanSimulatorTest {
  private static final LocalDate PLAN_WEEK = LocalDate.of(2025, 12, 29);

  static TruthParams truth(long startStock, LocalDate exitWeek) {
    return new TruthParams(
        "A000001", "DE", 0, 0, "dresses", LocalDate.of(2025, 10, 6), exitWeek, 59.95, 24.0, 12.0,
        1.5, 0.8, 0.3, 170, 2.5, 0.4, 3.0, 0.5, 0.3, new double[] {0.2, 0.4, 0.3, 0.1}, 3.2, 1.9,
        0.1, 9.5, startStock, 0.2, new long[] {3, 2, 1, 0});
  }

  @Test
  void expectedDemandIncreasesWithTheDiscountAndIsZeroOffSale() {
    TruthParams t = truth(100, LocalDate.of(2026, 3, 2));
    double previous = -1;
    for (int step = 0; step <= 14; step++) {
      double demand = GroundTruth.expectedDemand(t, PLAN_WEEK, step * 0.05, 0);
      assertThat(demand).isGreaterThan(previous);
      previous = demand;
    }
    assertThat(GroundTruth.expectedDemand(t, PLAN_WEEK, 0.2, 1))
        .isCloseTo(GroundTruth.expectedDemand(t, PLAN_WEEK, 0.2, 0) * Math.exp(0.4), within(1e-9));
    assertThat(GroundTruth.expectedDemand(t, LocalDate.of(2025, 9, 29), 0, 0)).isZero();
    assertThat(GroundTruth.expectedDemand(t, LocalDate.of(2026, 3, 9), 0, 0)).isZero();
  }

  @Test
  void returnsAndCostsFollowTheTruth() {
    TruthParams t = truth(100, LocalDate.of(2026, 3, 2));
    assertThat(GroundTruth.returnRate(t, 0)).isEqualTo(0.5);
    assertThat(GroundTruth.returnRate(t, 0.5)).isCloseTo(0.425, within(1e-12));
    assertThat(GroundTruth.expectedReturnWeeks(t)).isCloseTo(2.3, within(1e-12));
    assertThat(GroundTruth.fulfillmentCostPerUnit(t, 0)).isCloseTo(3.2 + 1.9 * 0.5, within(1e-12));
    assertThat(GroundTruth.residualValuePerUnit(t)).isEqualTo(9.5);
    assertThatThrownBy(() -> GroundTruth.expectedDemand(t, PLAN_WEEK, 1.0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot evaluate truth: discount must be in [0, 1) (1.0)");
  }

  @Test
  void conservesStockInBothModes() {
    TruthParams t = truth(60, LocalDate.of(2026, 2, 2));
    double[] discount = {0.2, 0.2, 0.3, 0.3, 0.4, 0.4, 0.5, 0.5};
    double[] promo = new double[discount.length];
    for (SplittableRandom rng : new SplittableRandom[] {null, new SplittableRandom(3)}) {
      PlanSimulator.Outcome o = PlanSimulator.simulate(t, PLAN_WEEK, discount, promo, rng);
      double in = Arrays.stream(o.returnsIn()).sum();
      double sold = Arrays.stream(o.units()).sum();
      assertThat(60 + in).isCloseTo(sold + o.stockEnd()[discount.length - 1], within(1e-9));
      assertThat(o.stockStart()[0]).isCloseTo(60 + 3, within(1e-9));
      for (int w = 1; w < discount.length; w++) {
        assertThat(o.stockStart()[w]).isCloseTo(o.stockEnd()[w - 1] + o.returnsIn()[w], within(1e-9));
        assertThat(o.units()[w]).isLessThanOrEqualTo(o.stockStart()[w]);
      }
      // Exit 2026-02-02 is plan week 5: later weeks sell nothing and take in no returns.
      assertThat(o.units()[6] + o.units()[7] + o.returnsIn()[6] + o.returnsIn()[7]).isZero();
      assertThat(o.residualValue()[7]).isGreaterThan(0);
      assertThat(Arrays.stream(o.residualValue()).limit(7).sum()).isZero();
    }
  }

  @Test
  void deeperDiscountsSellMoreInExpectation() {
    TruthParams t = truth(400, LocalDate.of(2026, 6, 1));
    double[] promo = new double[6];
    double previous = -1;
    for (double d : new double[] {0.2, 0.3, 0.5, 0.7}) {
      double[] discount = new double[6];
      Arrays.fill(discount, d);
      double units = Arrays.stream(PlanSimulator.simulate(t, PLAN_WEEK, discount, promo, null).units()).sum();
      assertThat(units).isGreaterThan(previous);
      previous = units;
    }
  }

  @Test
  void valuesStockOfAnArticleThatAlreadyExitedAtResidualValue() {
    TruthParams t = truth(10, LocalDate.of(2025, 12, 1));
    PlanSimulator.Outcome o =
        PlanSimulator.simulate(t, PLAN_WEEK, new double[] {0.3, 0.3}, new double[2], null);
    assertThat(o.units()).containsExactly(0, 0);
    assertThat(o.stockEnd()).containsExactly(10, 10);
    assertThat(o.residualValue()[1]).isCloseTo((10 + 6) * 9.5, within(1e-9));
  }
}
