package io.pricepath.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The return rate's base margin and its logistic fit. */
class ReturnResponseTest {
  @Test
  void theFitRecoversInterceptAndSlopeAroundThePriors() {
    // features: [prior, discount, reference]; true logit = logit(prior) + 0.3 - 1.2 (d - ref)
    SplittableRandom random = new SplittableRandom(5);
    int n = 40_000;
    float[] x = new float[n * 3];
    double[] y = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      double prior = 0.1 + 0.5 * random.nextDouble();
      double d = 0.1 * random.nextInt(6);
      x[i * 3] = (float) prior;
      x[i * 3 + 1] = (float) d;
      x[i * 3 + 2] = 0.1f;
      double z = ReturnResponse.logit(x[i * 3]) + 0.3 - 1.2 * (x[i * 3 + 1] - 0.1f);
      double p = 1 / (1 + Math.exp(-z));
      int units = 20;
      int returned = 0;
      for (int u = 0; u < units; u++) {
        returned += random.nextDouble() < p ? 1 : 0;
      }
      y[i] = returned / (double) units;
      w[i] = units;
    }
    ReturnResponse fitted =
        new ReturnResponse(0, 1, 2, 0.3, 0, 0)
            .refit(new FitPoints(x, 3, y, w, 1), new double[n], new LinkedHashMap<>());
    assertThat(fitted.intercept()).isCloseTo(0.3, within(0.03));
    assertThat(fitted.slope()).isCloseTo(-1.2, within(0.08));
  }

  @Test
  void anUnknownPriorReadsAsTheDefault() {
    ReturnResponse r = new ReturnResponse(0, 1, 2, 0.3, 0.1, -0.8);
    float[] row = {Float.NaN, 0.4f, Float.NaN};
    assertThat(r.margin(row, 0)).isCloseTo(ReturnResponse.logit(0.3) + 0.1 - 0.8 * 0.4, within(1e-6));
  }
}
