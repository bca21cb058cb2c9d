package io.pricepath.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demand model's level blend. */
class LevelTermTest {
  // features: [category code, smoothed ratio]; category 0 weighs 0.25, category 1 weighs 1
  private static final LevelTerm TERM = new LevelTerm(1, 0, new double[] {0.25, 1.0}, 0.5);

  @Test
  void theLogFactorIsTheGroupsWeightTimesTheLogRatioAndNothingWhenTheRatioIsUnknown() {
    assertThat(TERM.logFactor(new float[] {0, 1.5f}, 0))
        .isCloseTo(0.25 * Math.log(1.5), within(1e-6));
    assertThat(TERM.logFactor(new float[] {0, 0, 1, 0.5f}, 2))
        .isCloseTo(Math.log(0.5), within(1e-6));
    // an unknown or out-of-vocabulary group takes the pooled weight
    assertThat(TERM.logFactor(new float[] {Float.NaN, 2f}, 0))
        .isCloseTo(0.5 * Math.log(2), within(1e-6));
    assertThat(TERM.logFactor(new float[] {7, 2f}, 0)).isCloseTo(0.5 * Math.log(2), within(1e-6));
    assertThat(TERM.logFactor(new float[] {1, Float.NaN}, 0)).isZero();
    assertThat(TERM.logFactor(new float[] {1, 0}, 0)).isZero();
    assertThat(TERM.logFactor(new float[] {1, Float.POSITIVE_INFINITY}, 0)).isZero();
  }

  @Test
  void itRoundTripsThroughTheProvenanceHyperparameters() {
    Map<String, String> hyper = new HashMap<>(TERM.hyperparameters());
    hyper.put("eta", "0.1");
    assertThat(LevelTerm.of(hyper, 2)).isEqualTo(TERM);
    assertThat(LevelTerm.of(Map.of("eta", "0.1"), 2)).isNull(); // a model saved without one
    assertThatThrownBy(() -> LevelTerm.of(hyper, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the model's 1 features");
    hyper.put(LevelTerm.WEIGHTS, "0.2,heavy");
    assertThatThrownBy(() -> LevelTerm.of(hyper, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not numbers");
  }

  @Test
  void weightsOutsideZeroToOneAreRefused() {
    assertThatThrownBy(() -> new LevelTerm(1, 0, new double[] {1.2}, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> new LevelTerm(1, 0, new double[] {0.5}, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
