package io.pricepath.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pricepath.simulate.Sampling;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A series' own discount response from its weeks before the origin. */
class OwnResponseTest {
  private static double poisson(double mean, SplittableRandom random) {
    return Sampling.poisson(random, mean);
  }

  @Test
  void itRecoversTheSlopeOfADriftingSeriesWithPromotions() {
    SplittableRandom random = new SplittableRandom(1);
    double[] estimates = new double[40];
    double[] lifts = new double[40];
    double[] variances = new double[40];
    for (int s = 0; s < estimates.length; s++) {
      int n = 52;
      double[] units = new double[n];
      double[] discounts = new double[n];
      double[] censored = new double[n];
      double[] plain = new double[n];
      for (int back = 0; back < n; back++) {
        double d = random.nextDouble() < 0.3 ? 0.1 + 0.1 * random.nextInt(3) : 0;
        boolean promo = random.nextDouble() < 0.2;
        discounts[back] = d;
        plain[back] = promo ? 0 : 1;
        // level 12 drifting up by 30 % over the year, slope 2.5, promotions lift 40 %
        double mean = 12 * (1.3 - 0.3 * back / 52.0) * Math.exp(2.5 * d) * (promo ? 1.4 : 1);
        units[back] = poisson(mean, random);
      }
      double[][] signals = new double[n][];
      for (int back = 0; back < n; back++) {
        signals[back] = new double[] {1 - plain[back]};
      }
      OwnResponse.Fit own = OwnResponse.fit(units, discounts, censored, signals, 1);
      estimates[s] = own.slope();
      variances[s] = own.slopeVariance();
      lifts[s] = own.lifts()[0];
    }
    double mean = Arrays.stream(estimates).average().orElseThrow();
    assertThat(mean).isCloseTo(2.5, within(0.2));
    // the reported variance matches the spread of the estimates
    double spread = Arrays.stream(estimates).map(e -> (e - mean) * (e - mean)).sum() / 39;
    double reported = Arrays.stream(variances).average().orElseThrow();
    assertThat(reported / spread).isBetween(0.5, 2.0);
    // the promotions' lift, log 1.4
    assertThat(Arrays.stream(lifts).average().orElseThrow()).isCloseTo(Math.log(1.4), within(0.08));
  }

  @Test
  void unknownWithoutPriceVariationOrWithTooFewWeeks() {
    double[] units = new double[52];
    Arrays.fill(units, 5);
    double[] flat = new double[52];
    double[] none = new double[52];
    double[] plain = new double[52];
    Arrays.fill(plain, 1);
    OwnResponse.Fit flatFit = OwnResponse.fit(units, flat, none, new double[0][], 0);
    assertThat(flatFit.slope()).isNaN();
    assertThat(flatFit.logLevel()).isCloseTo(Math.log(5), within(1e-3));
    double[] few = new double[52];
    Arrays.fill(few, Double.NaN);
    double[] varied = new double[52];
    for (int i = 0; i < 5; i++) {
      few[i] = 4;
      varied[i] = 0.1 * i;
    }
    assertThat(OwnResponse.fit(few, varied, none, new double[0][], 0).known()).isFalse();
  }

  @Test
  void censoredWeeksAreLeftOut() {
    SplittableRandom random = new SplittableRandom(2);
    double[] units = new double[52];
    double[] discounts = new double[52];
    double[] censored = new double[52];
    double[] plain = new double[52];
    Arrays.fill(plain, 1);
    for (int back = 0; back < 52; back++) {
      discounts[back] = 0.1 * (back % 4);
      units[back] = poisson(100 * Math.exp(2 * discounts[back]), random);
      if (discounts[back] > 0.25) {
        // sold out at half its demand: a lower bound, not a measurement
        units[back] = Math.floor(units[back] / 2);
        censored[back] = 1;
      }
    }
    OwnResponse.Fit own = OwnResponse.fit(units, discounts, censored, new double[0][], 0);
    assertThat(own.slope()).isCloseTo(2.0, within(0.5));
  }

  @Test
  void aPermanentPriceRiseMovesTheLevelNotTheSlope() {
    // the black price rose from 2.0 to 2.4 twenty weeks ago (elasticity −2: demand × 0.69)
    SplittableRandom random = new SplittableRandom(3);
    double[] units = new double[52];
    double[] discounts = new double[52];
    double[] censored = new double[52];
    double[] blacks = new double[52];
    for (int back = 0; back < 52; back++) {
      blacks[back] = back < 20 ? 2.4 : 2.0;
      discounts[back] = back % 5 == 0 ? 0.2 : 0;
      double mean = 200 * Math.pow(blacks[back] / 2.0, -2) * Math.exp(3 * discounts[back]);
      units[back] = poisson(mean, random);
    }
    OwnResponse.Fit own =
        OwnResponse.fit(units, discounts, censored, new double[0][], blacks, 2.4, 0);
    assertThat(own.slope()).isCloseTo(3.0, within(0.3));
    // the level at today's black price, not the year's mean
    assertThat(Math.exp(own.logLevel())).isCloseTo(200 * Math.pow(1.2, -2), within(12.0));
  }
}
