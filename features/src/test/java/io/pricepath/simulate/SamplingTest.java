package io.pricepath.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplingTest {

  @Test
  void negativeBinomialHasTheRequestedMeanAndExtraVariance() {
    SplittableRandom rng = new SplittableRandom(1);
    for (double mean : new double[] {2.5, 60}) {
      double dispersion = 3;
      int n = 40_000;
      double sum = 0;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        long x = Sampling.negativeBinomial(rng, mean, dispersion);
        sum += x;
        squares += (double) x * x;
      }
      double m = sum / n;
      double variance = squares / n - m * m;
      assertThat(m).isCloseTo(mean, within(mean * 0.03));
      assertThat(variance).isCloseTo(mean + mean * mean / dispersion, within((mean + mean * mean / dispersion) * 0.1));
    }
  }

  @Test
  void binomialAndMultinomialStayWithinTheirTotals() {
    SplittableRandom rng = new SplittableRandom(2);
    double sum = 0;
    for (int i = 0; i < 20_000; i++) {
      long x = Sampling.binomial(rng, 40, 0.3);
      assertThat(x).isBetween(0L, 40L);
      sum += x;
      long[] split = Sampling.multinomial(rng, x, new double[] {0.1, 0.4, 0.3, 0.2});
      assertThat(split[0] + split[1] + split[2] + split[3]).isEqualTo(x);
    }
    assertThat(sum / 20_000).isCloseTo(12.0, within(0.1));
    assertThat(Sampling.binomial(rng, 9, 1.0)).isEqualTo(9);
    assertThat(Sampling.binomial(rng, 9, 0.0)).isZero();
  }

  @Test
  void mixSeparatesStreamsByKey() {
    assertThat(Sampling.mix(7, 1)).isEqualTo(Sampling.mix(7, 1));
    assertThat(Sampling.mix(7, 1)).isNotEqualTo(Sampling.mix(7, 2));
    assertThat(Sampling.mix(7, 1)).isNotEqualTo(Sampling.mix(8, 1));
  }
}
