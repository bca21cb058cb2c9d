package io.pricepath.forecast.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.forecast.model.BaseLevel;
import io.pricepath.forecast.model.FitPoints;
import io.pricepath.forecast.model.MarginTerms;
import io.pricepath.simulate.Sampling;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The negative-binomial weights of the demand terms' fits, without Spark. */
class DemandFitTest {
  /** Rows whose base level is the mean, with labels drawn by {@code draw}. */
  private static TrainingRows rows(double[] means, double[] labels) {
    float[] x = new float[means.length];
    double[] w = new double[means.length];
    for (int i = 0; i < means.length; i++) {
      x[i] = (float) (means[i] - 1); // the base margin is log(1 + base level)
      w[i] = 1;
    }
    return TrainingRows.of(x, 1, labels, w);
  }

  @Test
  void poissonCountsKeepTheirWeightsAndOverdispersedOnesWeighEachWeekAlike() {
    SplittableRandom random = new SplittableRandom(7);
    int n = 4000;
    double[] means = new double[n];
    double[] counts = new double[n];
    double[] spread = new double[n];
    for (int i = 0; i < n; i++) {
      means[i] = i % 2 == 0 ? 2 : 20;
      counts[i] = Sampling.poisson(random, means[i]);
      // a gamma-like factor of variance 0.5 around the mean: negative binomial with φ = 0.5
      double g = -Math.log(random.nextDouble()) - Math.log(random.nextDouble());
      spread[i] = Math.round(means[i] * 100 * g / 2);
    }
    MarginTerms terms = MarginTerms.of(List.of(new BaseLevel(0)));
    Map<String, Double> diagnostics = new HashMap<>();
    TrainingRows plainRows = rows(means, counts);
    FitPoints plain = TermSweep.robust(plainRows.margins(terms), plainRows, diagnostics);
    assertThat(diagnostics.get("nb_dispersion")).isCloseTo(0, within(0.02));
    assertThat(plain.weights()[1]).isCloseTo(1, within(0.4));

    double[] large = means.clone();
    for (int i = 0; i < n; i++) {
      large[i] *= 100;
    }
    TrainingRows largeRows = rows(large, spread);
    FitPoints robust = TermSweep.robust(largeRows.margins(terms), largeRows, diagnostics);
    assertThat(diagnostics.get("nb_dispersion")).isCloseTo(0.5, within(0.1));
    // a week of 2,000 units weighs about ten times less than one of 200 on the count scale, so
    // that both weigh alike on the log scale (weight × mean)
    double ratio = robust.weights()[0] * large[0] / (robust.weights()[1] * large[1]);
    assertThat(ratio).isCloseTo(1, within(0.05));
  }

  @Test
  void treesMustBeatTheTermsByMoreThanTheHoldoutsNoise() {
    SplittableRandom random = new SplittableRandom(9);
    // a few dozen large, noisy weeks: the trees' edge is luck
    int n = 28;
    double[] means = new double[n];
    double[] y = new double[n];
    double[] terms = new double[n];
    double[] trees = new double[n];
    for (int i = 0; i < n; i++) {
      means[i] = 2000;
      y[i] = Math.round(2000 * Math.exp(0.4 * random.nextGaussian()));
      terms[i] = 2000;
      trees[i] = 2000 * Math.exp(0.2 * random.nextGaussian()) * (i == 3 ? y[i] / 2000 : 1);
    }
    double[] luck = DemandFit.treeGain(rows(means, y), trees, terms);
    assertThat(DemandFit.treesEarnTheirPlace(luck)).as("%s", java.util.Arrays.toString(luck))
        .isFalse();
    // thousands of rows where the trees know each row's level and the terms only the mean
    int m = 4000;
    double[] level = new double[m];
    double[] counts = new double[m];
    double[] flat = new double[m];
    for (int i = 0; i < m; i++) {
      level[i] = i % 2 == 0 ? 2 : 6;
      counts[i] = Sampling.poisson(random, level[i]);
      flat[i] = 4;
    }
    double[] real = DemandFit.treeGain(rows(level, counts), level, flat);
    assertThat(DemandFit.treesEarnTheirPlace(real)).as("%s", java.util.Arrays.toString(real))
        .isTrue();
  }
}
