package io.pricepath.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demand model's seasonal term. */
class SeasonTermTest {
  // features: [x, season ratio]
  private static final SeasonTerm TERM = new SeasonTerm(1, 0.8);

  @Test
  void theLogFactorIsTheExponentTimesTheLogRatioAndNothingWhenTheRatioIsUnknown() {
    assertThat(TERM.logFactor(new float[] {7, 1.5f}, 0))
        .isCloseTo(0.8 * Math.log(1.5), within(1e-6));
    assertThat(TERM.logFactor(new float[] {0, 0, 7, 0.5f}, 2))
        .isCloseTo(0.8 * Math.log(0.5), within(1e-6));
    assertThat(TERM.logFactor(new float[] {7, Float.NaN}, 0)).isZero();
    assertThat(TERM.logFactor(new float[] {7, 0}, 0)).isZero();
    assertThat(TERM.logFactor(new float[] {7, Float.POSITIVE_INFINITY}, 0)).isZero();
  }

  @Test
  void itRoundTripsThroughTheProvenanceHyperparameters() {
    Map<String, String> hyper = new HashMap<>(TERM.hyperparameters());
    hyper.put("eta", "0.1");
    assertThat(SeasonTerm.of(hyper, 2)).isEqualTo(TERM);
    assertThat(SeasonTerm.of(Map.of("eta", "0.1"), 2)).isNull(); // a model saved without one
    assertThatThrownBy(() -> SeasonTerm.of(hyper, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("feature 1 is outside the model's 1 features");
    hyper.put(SeasonTerm.EXPONENT, "steep");
    assertThatThrownBy(() -> SeasonTerm.of(hyper, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not numbers");
  }

  @Test
  void negativeOrUnboundedExponentsAreRefused() {
    assertThatThrownBy(() -> new SeasonTerm(1, -0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 10]");
    assertThatThrownBy(() -> new SeasonTerm(1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
