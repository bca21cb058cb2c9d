package io.pricepath.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The demand model's discount response: its margin, its monotonicity and its fits. */
class DiscountResponseTest {
  // features: [category, discount, base discount, own slope, own variance]
  private static final DiscountResponse RESPONSE =
      new DiscountResponse(1, 2, 2.0, 0, new double[] {1.5, 3.0}, 2.5);

  @Test
  void theMarginIsTheReferenceLevelPlusTheGroupSlopeTimesTheDiscountChange() {
    float[] row = {1, 0.5f, 0.2f};
    assertThat(RESPONSE.margin(row, 0)).isCloseTo(2.0 * 0.2 + 3.0 * 0.3, within(1e-6));
    float[] unknownGroup = {Float.NaN, 0.5f, Float.NaN};
    assertThat(RESPONSE.margin(unknownGroup, 0)).isCloseTo(2.5 * 0.5, within(1e-6));
    float[] outOfVocabulary = {7, 0.1f, 0.1f};
    assertThat(RESPONSE.margin(outOfVocabulary, 0)).isCloseTo(2.0 * 0.1, within(1e-6));
  }

  @Test
  void aSeriesOwnSlopeCountsByHowMuchItsHistoryKnows() {
    DiscountResponse own = new DiscountResponse(1, 2, 2.0, 0, new double[] {1.5}, 1.5, 3, 4, 0.5);
    // variance 0.5 = tau^2: half-way between the category's 1.5 and its own 3.5
    assertThat(own.rowSlope(new float[] {0, 0.3f, 0, 3.5f, 0.5f}, 0)).isCloseTo(2.5, within(1e-6));
    // a precise own slope nearly replaces the category's
    assertThat(own.rowSlope(new float[] {0, 0.3f, 0, 3.5f, 0.001f}, 0)).isCloseTo(3.5, within(0.01));
    // unknown own slope or variance: the category's
    assertThat(own.rowSlope(new float[] {0, 0.3f, 0, Float.NaN, 0.5f}, 0)).isEqualTo(1.5);
    assertThat(own.rowSlope(new float[] {0, 0.3f, 0, 3.5f, Float.NaN}, 0)).isEqualTo(1.5);
    // a negative own slope is clamped to 0 before it counts
    assertThat(own.rowSlope(new float[] {0, 0.3f, 0, -4f, 0.5f}, 0)).isCloseTo(0.75, within(1e-6));
  }

  @Test
  void demandNeverFallsAsTheDiscountRisesWhateverTheOwnSlope() {
    DiscountResponse own = new DiscountResponse(1, 2, 2.0, 0, new double[] {1.5}, 1.5, 3, 4, 2.0);
    SplittableRandom random = new SplittableRandom(4);
    for (int series = 0; series < 200; series++) {
      float ownSlope = (float) (20 * random.nextDouble() - 10);
      float variance = (float) (random.nextDouble() * 3);
      float ref = (float) (0.5 * random.nextDouble());
      double previous = Double.NEGATIVE_INFINITY;
      for (int k = 0; k <= 14; k++) {
        float[] row = {0, k * 0.05f, ref, ownSlope, variance};
        double f = own.margin(row, 0);
        assertThat(f).isGreaterThanOrEqualTo(previous);
        previous = f;
      }
    }
  }

  @Test
  void negativeSlopesAndHalfAnOwnSlopeAreRefused() {
    assertThatThrownBy(() -> new DiscountResponse(1, 2, 2.0, 0, new double[] {-0.1}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 0");
    assertThatThrownBy(() -> new DiscountResponse(1, 2, 2.0, 0, new double[] {1}, 1, 3, -1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("go together");
  }

  /** Points of two categories with slopes 1 and 3 around known levels (the rest of the margin). */
  private static FitPoints twoCategories(int n, double[] rest, SplittableRandom random) {
    float[] x = new float[n * 5];
    double[] y = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      int g = i % 2;
      double d = 0.1 * random.nextInt(6);
      rest[i] = Math.log(5 + 20 * random.nextDouble());
      x[i * 5] = g;
      x[i * 5 + 1] = (float) d;
      x[i * 5 + 2] = 0;
      x[i * 5 + 3] = Float.NaN;
      x[i * 5 + 4] = Float.NaN;
      y[i] = poisson(Math.exp(rest[i] + (g == 0 ? 1.0 : 3.0) * d), random);
      w[i] = 1;
    }
    return new FitPoints(x, 5, y, w, 1);
  }

  static double poisson(double mean, SplittableRandom random) {
    double l = Math.exp(-mean);
    double p = 1;
    int k = 0;
    if (mean > 30) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
    }
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }

  static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  @Test
  void theFitRecoversEachCategorysSlope() {
    SplittableRandom random = new SplittableRandom(7);
    int n = 20_000;
    double[] rest = new double[n];
    FitPoints points = twoCategories(n, rest, random);
    DiscountResponse start = new DiscountResponse(1, 2, 0, 0, new double[] {2, 2}, 2);
    Map<String, Double> diagnostics = new LinkedHashMap<>();
    DiscountResponse fitted = start.refit(points, rest, diagnostics);
    assertThat(fitted.slopes()[0]).isCloseTo(1.0, within(0.08));
    assertThat(fitted.slopes()[1]).isCloseTo(3.0, within(0.08));
    assertThat(fitted.pooledSlope()).isBetween(1.5, 3.0);
    assertThat(diagnostics).containsKeys("response_dispersion", "response_prior_sd");
  }

  @Test
  void theFitTrustsOwnSlopesWhenTheyPredictTheTargets() {
    // every series has its own slope (0.5 .. 4.5), measured with variance 0.05 before the origin
    SplittableRandom random = new SplittableRandom(9);
    int n = 20_000;
    float[] x = new float[n * 5];
    double[] y = new double[n];
    double[] w = new double[n];
    double[] rest = new double[n];
    for (int i = 0; i < n; i++) {
      double truth = 0.5 + 4 * ((i / 20) % 9) / 8.0;
      double d = 0.1 * random.nextInt(6);
      rest[i] = Math.log(10);
      x[i * 5] = 0;
      x[i * 5 + 1] = (float) d;
      x[i * 5 + 3] = (float) (truth + Math.sqrt(0.05) * gaussian(random));
      x[i * 5 + 4] = 0.05f;
      y[i] = poisson(Math.exp(rest[i] + truth * d), random);
      w[i] = 1;
    }
    FitPoints points = new FitPoints(x, 5, y, w, 1);
    DiscountResponse start = new DiscountResponse(1, 2, 0, 0, new double[] {2}, 2, 3, 4, 0);
    DiscountResponse fitted = start.refit(points, rest, new LinkedHashMap<>());
    // a large tau^2: the own slopes carry most of the weight
    assertThat(fitted.priorVariance()).isGreaterThan(0.5);
    assertThat(fitted.logLikelihood(points, rest))
        .isGreaterThan(
            new DiscountResponse(1, 2, 0, 0, fitted.slopes(), fitted.pooledSlope(), 3, 4, 0)
                .logLikelihood(points, rest));
  }

  @Test
  void theFitIgnoresOwnSlopesThatAreNoise() {
    // one true slope (2) for all; the own slopes are pure noise around unrelated values
    SplittableRandom random = new SplittableRandom(10);
    int n = 20_000;
    float[] x = new float[n * 5];
    double[] y = new double[n];
    double[] w = new double[n];
    double[] rest = new double[n];
    for (int i = 0; i < n; i++) {
      double d = 0.1 * random.nextInt(6);
      rest[i] = Math.log(10);
      x[i * 5 + 1] = (float) d;
      x[i * 5 + 3] = (float) (8 * random.nextDouble());
      x[i * 5 + 4] = 0.05f;
      y[i] = poisson(Math.exp(rest[i] + 2 * d), random);
      w[i] = 1;
    }
    FitPoints points = new FitPoints(x, 5, y, w, 1);
    DiscountResponse start = new DiscountResponse(1, 2, 0, 0, new double[] {1}, 1, 3, 4, 0);
    DiscountResponse fitted = start.refit(points, rest, new LinkedHashMap<>());
    assertThat(fitted.priorVariance()).isLessThan(0.01);
    assertThat(fitted.slopes()[0]).isCloseTo(2.0, within(0.1));
  }

  @Test
  void itRoundTripsThroughTheHyperparameters() {
    DiscountResponse own = new DiscountResponse(1, 2, 2.0, 0, new double[] {1.5, 2}, 1.5, 3, 4, 0.5);
    assertThat(MarginTerms.read(own.hyperparameters(), 5).terms()).containsExactly(own);
    assertThat(MarginTerms.read(RESPONSE.hyperparameters(), 3).terms()).containsExactly(RESPONSE);
  }
}
