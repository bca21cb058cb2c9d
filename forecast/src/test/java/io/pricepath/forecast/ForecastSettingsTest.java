package io.pricepath.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ForecastSettingsTest {

  @Test
  void defaultsAreValidAndLadderIsCopied() {
    ForecastSettings s = ForecastSettings.defaults();
    assertThat(s.horizon()).isEqualTo(12);
    assertThat(s.ladder()).containsExactly(0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7);
    s.ladder()[0] = 0.9;
    assertThat(s.ladder()[0]).isZero();
    assertThat(s.withTrees(10, 3, 0.3).numRounds()).isEqualTo(10);
    assertThat(s.withTrees(10, 3, 0.3)).isNotEqualTo(s);
  }

  @Test
  void rejectsABadLadder() {
    ForecastSettings d = ForecastSettings.defaults();
    assertThatThrownBy(() -> d.withPlan(4, new double[] {0, 0.3, 0.2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("discount ladder must be strictly ascending ([0.0, 0.3, 0.2])");
    assertThatThrownBy(() -> d.withPlan(4, new double[] {0, 1.0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("discount ladder level (1.0) must be in [0, 1)");
  }

  @Test
  void rejectsAValidationWindowBeyondTheHorizon() {
    assertThatThrownBy(() -> ForecastSettings.defaults().withTraining(52, 4, 13))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("validation weeks (13) must be in [0, min(horizon = 12, training weeks - 1 = 51)]");
  }

  @Test
  void rejectsBadTrees() {
    assertThatThrownBy(() -> ForecastSettings.defaults().withTrees(0, 6, 0.1))
        .hasMessage("boosting rounds (0) must be >= 1");
    assertThatThrownBy(() -> ForecastSettings.defaults().withTrees(10, 6, 0))
        .hasMessage("eta (0.0) must be in (0, 1]");
  }
}
