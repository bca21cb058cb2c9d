package io.pricepath.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fulfillment cost's base margin and its least-squares fit. */
class CostPriorTest {
  @Test
  void theFitRecoversInterceptSlopeAndTheMeanOfRowsWithoutAPrior() {
    // features: [prior]; label = 0.5 + 0.9 · prior + noise, or 6 + noise where the prior is unknown
    SplittableRandom random = new SplittableRandom(7);
    int n = 20_000;
    float[] x = new float[n];
    double[] y = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      boolean known = i % 4 != 0;
      double prior = 2 + 6 * random.nextDouble();
      x[i] = known ? (float) prior : Float.NaN;
      double noise = 0.2 * (random.nextDouble() - 0.5);
      y[i] = (known ? 0.5 + 0.9 * x[i] : 6) + noise;
      w[i] = 1 + random.nextInt(5);
    }
    Map<String, Double> diagnostics = new LinkedHashMap<>();
    CostPrior fitted =
        CostPrior.of(0).refit(new FitPoints(x, 1, y, w, 1), new double[n], diagnostics);
    assertThat(fitted.intercept()).isCloseTo(0.5, within(0.01));
    assertThat(fitted.slope()).isCloseTo(0.9, within(0.002));
    assertThat(fitted.unknown()).isCloseTo(6, within(0.01));
    assertThat(diagnostics.get("cost_prior_known_share")).isCloseTo(0.75, within(0.02));
    assertThat(fitted.margin(new float[] {4f}, 0)).isCloseTo(0.5 + 0.9 * 4, within(0.02));
    assertThat(fitted.margin(new float[] {Float.NaN}, 0)).isCloseTo(6, within(0.01));
  }

  @Test
  void theRestOfTheMarginIsAnOffsetAndEqualPriorsKeepTheSlope() {
    // every prior 3: no spread to fit a slope on; the intercept takes the mean difference
    int n = 100;
    float[] x = new float[n];
    double[] y = new double[n];
    double[] rest = new double[n];
    java.util.Arrays.fill(x, 3f);
    for (int i = 0; i < n; i++) {
      rest[i] = i % 2;
      y[i] = 3.5 + rest[i];
    }
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1);
    CostPrior fitted =
        CostPrior.of(0).refit(new FitPoints(x, 1, y, w, 1), rest, new LinkedHashMap<>());
    assertThat(fitted.slope()).isEqualTo(1);
    assertThat(fitted.intercept()).isCloseTo(0.5, within(1e-9));
    // no row without a prior: those rows would start from the mean of all
    assertThat(fitted.unknown()).isCloseTo(3.5, within(1e-9));
  }

  @Test
  void itRoundTripsAmongTheMarginTermsAndRejectsBadParameters() {
    MarginTerms terms = MarginTerms.of(List.of(new CostPrior(2, 0.25, 0.95, 4.5)));
    Map<String, String> hyper = terms.hyperparameters();
    assertThat(hyper).containsEntry("margin_terms", "cost_prior")
        .containsEntry("cost_prior_prior_feature", "2");
    assertThat(MarginTerms.read(hyper, 3)).isEqualTo(terms);
    Map<String, String> bad = new LinkedHashMap<>(hyper);
    bad.put("cost_prior_slope", "NaN");
    assertThatThrownBy(() -> MarginTerms.read(bad, 3))
        .hasMessageContaining("cost_prior")
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> MarginTerms.read(hyper, 2))
        .hasMessageContaining("cost_prior_prior_feature");
  }
}
