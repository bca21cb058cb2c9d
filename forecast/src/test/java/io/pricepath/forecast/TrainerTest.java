package io.pricepath.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.forecast.model.DiscountResponse;
import org.junit.jupiter.api.Test;

/** The demand model's parametric discount response. */
class TrainerTest {
  // features: [category, discount, base discount]
  private static final DiscountResponse RESPONSE =
      new DiscountResponse(1, 2, 2.0, 0, new double[] {1.5, 3.0}, 2.5);

  @Test
  void theLogFactorIsTheReferenceLevelPlusTheGroupSlopeTimesTheDiscountChange() {
    float[] row = {1, 0.5f, 0.2f};
    assertThat(RESPONSE.logFactor(row, 0)).isCloseTo(2.0 * 0.2 + 3.0 * 0.3, within(1e-6));
    float[] unknownGroup = {Float.NaN, 0.5f, Float.NaN};
    assertThat(RESPONSE.logFactor(unknownGroup, 0)).isCloseTo(2.5 * 0.5, within(1e-6));
    float[] outOfVocabulary = {7, 0.1f, 0.1f};
    assertThat(RESPONSE.logFactor(outOfVocabulary, 0)).isCloseTo(2.0 * 0.1, within(1e-6));
  }

  @Test
  void demandNeverFallsAsTheDiscountRises() {
    float[] row = {0, 0, 0.3f};
    double previous = Double.NEGATIVE_INFINITY;
    for (int k = 0; k <= 14; k++) {
      row[1] = k * 0.05f;
      double f = RESPONSE.logFactor(row, 0);
      assertThat(f).isGreaterThanOrEqualTo(previous);
      previous = f;
    }
  }

  @Test
  void negativeSlopesAreRefused() {
    assertThatThrownBy(() -> new DiscountResponse(1, 2, 2.0, 0, new double[] {-0.1}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 0");
  }
}
