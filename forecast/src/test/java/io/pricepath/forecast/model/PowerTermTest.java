package io.pricepath.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The level blend: ratio^weight(group), and its fit. */
class PowerTermTest {
  // features: [group, smoothed ratio]
  private static final PowerTerm TERM = PowerTerm.level(1, 0, new double[] {0.25, 1.0}, 0.5);

  @Test
  void theMarginIsTheGroupWeightTimesTheLogRatio() {
    assertThat(TERM.margin(new float[] {0, 2f}, 0)).isCloseTo(0.25 * Math.log(2), within(1e-6));
    assertThat(TERM.margin(new float[] {1, 0.5f}, 0)).isCloseTo(Math.log(0.5), within(1e-6));
    assertThat(TERM.margin(new float[] {Float.NaN, 2f}, 0)).isCloseTo(0.5 * Math.log(2), within(1e-6));
    assertThat(TERM.margin(new float[] {9, 2f}, 0)).isCloseTo(0.5 * Math.log(2), within(1e-6));
    assertThat(TERM.margin(new float[] {0, Float.NaN}, 0)).isZero();
    assertThat(TERM.margin(new float[] {0, -1f}, 0)).isZero();
  }

  @Test
  void itRoundTripsThroughTheProvenanceHyperparameters() {
    Map<String, String> hyper = new HashMap<>(TERM.hyperparameters());
    hyper.put("eta", "0.1");
    assertThat(MarginTerms.read(hyper, 2).terms()).containsExactly(TERM);
    assertThatThrownBy(() -> MarginTerms.read(hyper, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("level term")
        .hasMessageContaining("outside the model's 1 features");
    hyper.put("level_weights", "0.2,heavy");
    assertThatThrownBy(() -> MarginTerms.read(hyper, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("level_weights is not a list of numbers (0.2,heavy)");
  }

  @Test
  void weightsOutsideZeroToOneAreRefused() {
    assertThatThrownBy(() -> PowerTerm.level(1, 0, new double[] {1.2}, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 1.0]");
    assertThatThrownBy(() -> PowerTerm.level(1, 0, new double[] {0.5}, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFitRecoversEachGroupsWeight() {
    SplittableRandom random = new SplittableRandom(3);
    int n = 30_000;
    float[] x = new float[n * 2];
    double[] y = new double[n];
    double[] w = new double[n];
    double[] rest = new double[n];
    double[] truth = {0.2, 0.8};
    for (int i = 0; i < n; i++) {
      int g = i % 2;
      double ratio = 0.4 + 1.2 * random.nextDouble();
      x[i * 2] = g;
      x[i * 2 + 1] = (float) ratio;
      rest[i] = Math.log(10);
      y[i] = DiscountResponseTest.poisson(10 * Math.pow(ratio, truth[g]), random);
      w[i] = 1;
    }
    PowerTerm fitted =
        PowerTerm.level(1, 0, new double[2], 0).refit(new FitPoints(x, 2, y, w, 1), rest,
            new LinkedHashMap<>());
    assertThat(fitted.weights()[0]).isCloseTo(0.2, within(0.06));
    assertThat(fitted.weights()[1]).isCloseTo(0.8, within(0.06));
    assertThat(fitted.metrics(List.of("a", "b"))).containsKeys("level_weight_a", "level_weight_b",
        "level_pooled_weight");
  }
}
