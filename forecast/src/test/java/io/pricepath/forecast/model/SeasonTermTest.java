package io.pricepath.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The season term: ratio^exponent, and its fit. */
class SeasonTermTest {
  private static final SeasonTerm TERM = new SeasonTerm(1, 0.8);

  @Test
  void theMarginIsTheExponentTimesTheLogRatioAndNothingWhenTheRatioIsUnknown() {
    assertThat(TERM.margin(new float[] {7, 1.5f}, 0)).isCloseTo(0.8 * Math.log(1.5), within(1e-6));
    assertThat(TERM.margin(new float[] {0, 0, 7, 0.5f}, 2)).isCloseTo(0.8 * Math.log(0.5), within(1e-6));
    assertThat(TERM.margin(new float[] {7, Float.NaN}, 0)).isZero();
    assertThat(TERM.margin(new float[] {7, 0}, 0)).isZero();
    assertThat(TERM.margin(new float[] {7, Float.POSITIVE_INFINITY}, 0)).isZero();
  }

  @Test
  void itRoundTripsThroughTheProvenanceHyperparameters() {
    Map<String, String> hyper = new HashMap<>(TERM.hyperparameters());
    hyper.put("eta", "0.1");
    assertThat(MarginTerms.read(hyper, 2).terms()).containsExactly(TERM);
    assertThat(MarginTerms.read(Map.of("eta", "0.1"), 2).isEmpty()).isTrue();
    assertThatThrownBy(() -> MarginTerms.read(hyper, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("season term")
        .hasMessageContaining("feature 1 (season_feature) is outside the model's 1 features");
    hyper.put("season_exponent", "steep");
    assertThatThrownBy(() -> MarginTerms.read(hyper, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("season_exponent is not a number (steep)");
    hyper.put("season_exponent", "-1");
    assertThatThrownBy(() -> MarginTerms.read(hyper, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 10]");
  }

  @Test
  void negativeOrUnboundedExponentsAreRefused() {
    assertThatThrownBy(() -> new SeasonTerm(1, -0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 10]");
    assertThatThrownBy(() -> new SeasonTerm(1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFitRecoversTheExponentWithTheRestAsOffset() {
    SplittableRandom random = new SplittableRandom(2);
    int n = 10_000;
    float[] x = new float[n * 2];
    double[] y = new double[n];
    double[] w = new double[n];
    double[] rest = new double[n];
    for (int i = 0; i < n; i++) {
      double ratio = 0.5 + random.nextDouble();
      x[i * 2 + 1] = i % 10 == 0 ? Float.NaN : (float) ratio;
      rest[i] = Math.log(8);
      double factor = i % 10 == 0 ? 1 : Math.pow(ratio, 0.7);
      y[i] = DiscountResponseTest.poisson(Math.exp(rest[i]) * factor, random);
      w[i] = 1;
    }
    SeasonTerm fitted =
        new SeasonTerm(1, 0).refit(new FitPoints(x, 2, y, w, 1), rest, new LinkedHashMap<>());
    assertThat(fitted.exponent()).isCloseTo(0.7, within(0.05));
    assertThat(fitted.metrics(java.util.List.of())).containsEntry("season_exponent", fitted.exponent());
  }
}
