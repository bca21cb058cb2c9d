package io.pricepath.forecast.registry;

import static io.pricepath.forecast.registry.RegistryFixtures.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gate's rule, decided from metric maps alone. */
class ApprovalRuleTest {
  private final ApprovalRule rule = ApprovalRule.of(0.02);

  @Test
  void withoutAnApprovedVersionOnlyTheBaselinesCount() {
    assertThat(rule.decide(metrics(0.6, 0.65, 0.7), Optional.empty()))
        .isEqualTo(
            new Decision(
                true,
                "demand WAPE 0.600 beats the recent-mean baseline (0.650) and the log-log"
                    + " elasticity baseline (0.700); there is no approved version to compare"
                    + " with"));
  }

  @Test
  void rejectsACandidateMuchWorseThanTheApprovedVersion() {
    Decision d =
        rule.decide(
            metrics(0.712, 0.8, 0.9),
            Optional.of(metrics(0.594, 0.8, 0.9)),
            "the approved version 81e2cb41");
    assertThat(d)
        .isEqualTo(
            new Decision(
                false,
                "demand WAPE 0.712 is worse than the approved version 81e2cb41's 0.594 by 19.9 %"
                    + " (tolerance 2.0 %)"));
    assertThat(
            rule.decide(metrics(0.712, 0.8, 0.9), Optional.of(metrics(0.594, 0.8, 0.9))).reason())
        .isEqualTo(
            "demand WAPE 0.712 is worse than the approved version's 0.594 by 19.9 % (tolerance 2.0"
                + " %)");
  }

  @Test
  void acceptsACandidateWithinTheToleranceOrBetter() {
    assertThat(rule.decide(metrics(0.600, 0.8, 0.9), Optional.of(metrics(0.594, 0.8, 0.9))))
        .isEqualTo(
            new Decision(
                true,
                "demand WAPE 0.600 beats the recent-mean baseline (0.800) and the log-log"
                    + " elasticity baseline (0.900) and is worse than the approved version's 0.594"
                    + " by only 1.0 % (tolerance 2.0 %)"));
    assertThat(rule.decide(metrics(0.5, 0.8, 0.9), Optional.of(metrics(0.6, 0.8, 0.9))).reason())
        .endsWith("and is better than the approved version's 0.600 by 16.7 %");
    // exactly at the tolerance is still accepted
    assertThat(rule.decide(metrics(0.51, 0.8, 0.9), Optional.of(metrics(0.5, 0.8, 0.9))).approved())
        .isTrue();
    assertThat(
            rule.decide(metrics(0.5101, 0.8, 0.9), Optional.of(metrics(0.5, 0.8, 0.9))).approved())
        .isFalse();
  }

  @Test
  void rejectsACandidateThatDoesNotBeatEveryBaseline() {
    assertThat(rule.decide(metrics(0.71, 0.65, 0.8), Optional.empty()))
        .isEqualTo(
            new Decision(
                false, "demand WAPE 0.710 does not beat the recent-mean baseline (0.650)"));
    // a tie is not a win; every failure is named
    assertThat(rule.decide(metrics(0.7, 0.7, 0.6), Optional.of(metrics(0.5, 0.7, 0.6))).reason())
        .isEqualTo(
            "demand WAPE 0.700 is worse than the approved version's 0.500 by 40.0 % (tolerance 2.0"
                + " %); demand WAPE 0.700 does not beat the recent-mean baseline (0.700); demand"
                + " WAPE 0.700 does not beat the log-log elasticity baseline (0.600)");
  }

  @Test
  void rejectsWhatItCannotCheck() {
    assertThat(rule.decide(Map.of("bias", 0.1, "n", 3.0), Optional.empty()))
        .isEqualTo(
            new Decision(
                false, "the backtest metrics have no demand WAPE (\"wape\"; keys: bias, n)"));
    assertThat(rule.decide(Map.of("wape", Double.NaN), Optional.empty()))
        .isEqualTo(new Decision(false, "demand WAPE is not a number (NaN)"));
    assertThat(
            rule.decide(Map.of("wape", 0.5, "wape_recent_mean", Double.NaN), Optional.empty())
                .reason())
        .isEqualTo(
            "the backtest metrics have no recent-mean baseline WAPE (\"wape_recent_mean\" is NaN);"
                + " the backtest metrics have no log-log elasticity baseline WAPE"
                + " (\"wape_loglog_elasticity\")");
  }

  @Test
  void anApprovedVersionWithoutAWapeLeavesOnlyTheBaselineTest() {
    assertThat(
            rule.decide(
                    metrics(0.6, 0.65, 0.7), Optional.of(Map.of()), "the approved version 0badcafe")
                .reason())
        .isEqualTo(
            "demand WAPE 0.600 beats the recent-mean baseline (0.650) and the log-log elasticity"
                + " baseline (0.700); the approved version 0badcafe has no demand WAPE to compare"
                + " with");
  }

  @Test
  void customBaselinesAndValidation() {
    ApprovalRule none = new ApprovalRule(0.0, List.of());
    assertThat(none.decide(Map.of("wape", 0.5), Optional.of(Map.of("wape", 0.5))).reason())
        .isEqualTo("demand WAPE 0.500 matches the approved version's 0.500");
    assertThat(
            new ApprovalRule(0.1, List.of("seasonal_naive"))
                .decide(Map.of("wape", 0.5), Optional.empty())
                .reason())
        .isEqualTo(
            "the backtest metrics have no seasonal-naive baseline WAPE (\"wape_seasonal_naive\")");
    assertThat(ApprovalRule.baselineKey(ApprovalRule.LOGLOG_ELASTICITY))
        .isEqualTo("wape_loglog_elasticity");
    assertThatThrownBy(() -> ApprovalRule.of(-0.01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("approval tolerance (-0.01) must be a finite share >= 0 (0.02 = 2 %)");
    assertThatThrownBy(() -> new ApprovalRule(0.02, List.of(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("approval baselines ([ ]) must be backtest model names, not blank");
  }
}
