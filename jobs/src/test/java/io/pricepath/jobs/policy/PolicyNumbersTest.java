package io.pricepath.jobs.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.config.RunConfig;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The policy backtest's numerics without a simulation: the rule ladder's schedule, how returns
 * are attributed to their sale weeks, and the per-week configuration (the season itself is
 * {@link PolicyBacktestTest}, tagged slow).
 */
class PolicyNumbersTest {
  @Test
  void ruleLadderFollowsItsScheduleAsNumbers() {
    RuleLadder ladder = RuleLadder.standard(0.7);
    LocalDate launch = LocalDate.of(2025, 1, 6);
    assertThat(ladder.discount(launch.plusWeeks(5), launch, 0)).isEqualTo(0);
    assertThat(ladder.discount(launch.plusWeeks(6), launch, 0)).isEqualTo(0.1);
    assertThat(ladder.discount(launch.plusWeeks(9), launch, 0)).isEqualTo(0.1);
    assertThat(ladder.discount(launch.plusWeeks(10), launch, 0)).isEqualTo(0.2);
    assertThat(ladder.discount(launch.plusWeeks(40), launch, 0)).isEqualTo(0.7);
    assertThat(ladder.discount(launch.plusWeeks(6), launch, 0.35)).isEqualTo(0.35);
  }

  @Test
  void returnsArriveFromTheOldestSaleWeekStillOwed() {
    // Sale weeks 0..3 return 2, 0, 3, 1 units; week 1 also receives 1 unit of history sales.
    double[][] split = ReturnAttribution.allocate(new double[] {2, 0, 3, 1, 0}, new double[] {0, 2, 1, 2, 1},
        new long[] {0, 1, 0, 0}, 4);
    assertThat(split[0]).containsExactly(0, 1, 1, 0, 0);
    assertThat(split[2]).containsExactly(0, 0, 0, 2, 1);
    assertThat(split[3]).containsExactly(0, 0, 0, 0, 0);
  }

  @Test
  void thinReturnsAreRoundedOnTheirSaleWeeksCumulativeArrivals() {
    // expected demand: 0.4 of a unit arrives from sale week 0 in each of weeks 1..4 (1.6 in all)
    double[][] split = {{0, 0.4, 0.4, 0.4, 0.4}};
    long[] units = new long[5];
    for (int t = 0; t < 5; t++) {
      units[t] = ReturnAttribution.units(split, 0, t);
    }
    assertThat(units).containsExactly(0, 0, 1, 0, 1);
    assertThat(java.util.Arrays.stream(units).sum()).isEqualTo(Math.round(1.6));
  }

  @Test
  void historyReturnsArrivingInTheSeasonGetTheirSaleWeeksByLag() {
    double[] lags = {0.4, 0.3, 0.2, 0.1};
    // week 0 of the season: lags 1..4, i.e. sale weeks 1..4 before the season, 4:3:2:1
    assertThat(ReturnAttribution.history(10, 0, lags)).containsExactly(4, 3, 2, 1);
    // week 2: only lags 3 and 4 reach it (sale weeks 1 and 2 before), 2:1 of 7 units
    assertThat(ReturnAttribution.history(7, 2, lags)).containsExactly(5, 2);
    assertThat(ReturnAttribution.history(1, 3, lags)).containsExactly(1);
    assertThat(ReturnAttribution.history(5, 4, lags)).isEmpty();
    assertThat(ReturnAttribution.history(0, 0, lags)).containsExactly(0, 0, 0, 0);
  }

  @Test
  void weekConfigCutsTheHorizonAndDropsTargetsOutsideIt() {
    RunConfig c = ConfigLoader.toRunConfig(ConfigLoader.merged(null, List.of(
        "coupling=[{kind=discount-rate-max, target=0.2}, {kind=discount-rate-min, target=0.05, week=5},"
            + " {kind=discount-rate-max, target=0.3, market=NL}]")));
    RunConfig week = PolicyBacktest.weekConfig(c, LocalDate.of(2025, 3, 3), 2,
        List.of(org.apache.spark.sql.RowFactory.create("DE", "shoes")));
    assertThat(week.horizon()).isEqualTo(2);
    assertThat(week.planWeek()).isEqualTo(LocalDate.of(2025, 3, 3));
    assertThat(week.coupling()).extracting(RunConfig.CouplingConfig::target).containsExactly(0.2);
    assertThat(PolicyBacktest.bounds(c, "DE")).containsExactly(Double.NaN, 0.2);
    assertThat(PolicyBacktest.bounds(c, "NL")).containsExactly(Double.NaN, 0.2);
  }
}
