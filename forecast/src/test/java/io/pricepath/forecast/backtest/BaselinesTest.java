package io.pricepath.forecast.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two baselines on hand-made series, without Spark. */
class BaselinesTest {
  private static final LocalDate START = LocalDate.of(2024, 1, 1);

  @Test
  void recentMeanSkipsSoldOutWeeksAndLooksBackFourUncensoredWeeks() {
    double[] units = {9, 1, 2, 100, 3, 4, 50};
    boolean[] censored = {false, false, false, true, false, false, false};
    // before index 6: uncensored 4, 3, 2, 1 (the sold-out 100 is skipped, 9 is the fifth)
    assertThat(RecentMean.of(units, censored, 6)).isEqualTo(2.5);
    assertThat(RecentMean.of(units, censored, 2)).isEqualTo(5.0);
    assertThat(RecentMean.of(units, censored, 0)).isNaN();
    assertThat(RecentMean.of(new double[] {7}, new boolean[] {true}, 1)).isNaN();
  }

  /** units = 5000 · price^−2.2 · 1.5^promo, exactly (up to rounding). */
  private static SeriesBaselines powerLaw(int weeks, double elasticity) {
    LocalDate[] w = new LocalDate[weeks];
    double[] units = new double[weeks];
    boolean[] censored = new boolean[weeks];
    double[][] x = new double[weeks][];
    for (int i = 0; i < weeks; i++) {
      w[i] = START.plusWeeks(i);
      double price = 40 * (1 - 0.1 * (i % 7));
      double promo = i % 5 == 0 ? 1 : 0;
      units[i] = 5000 * Math.pow(price, elasticity) * Math.pow(1.5, promo) * 400 - 1;
      x[i] = new double[] {Math.log(price), promo};
    }
    return new SeriesBaselines("shirts", "DE", w, units, censored, x, weeks);
  }

  @Test
  void logLogFitRecoversAnExactPowerLawAndPredictsAtTheActualPriceAndSignals() {
    SeriesBaselines s = powerLaw(40, -2.2);
    double[] pool = LogLogElasticity.pool(2);
    LocalDate origin = START.plusWeeks(30);
    double[] recent = new double[2];
    s.contribute(origin, 30, pool, recent);
    LogLogElasticity.Fit pooled = LogLogElasticity.pooledFit(pool);
    assertThat(pooled.elasticity()).isCloseTo(-2.2, within(0.01));
    assertThat(pooled.slopes()[1]).isCloseTo(Math.log(1.5), within(0.01));

    List<SeriesBaselines.Forecast> f = s.forecast(origin, 4, 30, pooled, 0);
    assertThat(f).extracting(SeriesBaselines.Forecast::h).containsExactly(1, 2, 3, 4);
    for (SeriesBaselines.Forecast row : f) {
      int i = (int) java.time.temporal.ChronoUnit.WEEKS.between(START, row.week());
      double price = 40 * (1 - 0.1 * (i % 7));
      double promo = i % 5 == 0 ? 1 : 0;
      double truth = 5000 * Math.pow(price, -2.2) * Math.pow(1.5, promo) * 400 - 1;
      assertThat(row.logLog()).as("week %d", i).isCloseTo(truth, within(truth * 0.01));
    }
    // recent mean: the four weeks 26..29 before the origin
    double expected = 0;
    for (int i = 26; i < 30; i++) {
      double price = 40 * (1 - 0.1 * (i % 7));
      expected += (5000 * Math.pow(price, -2.2) * Math.pow(1.5, i % 5 == 0 ? 1 : 0) * 400 - 1) / 4;
    }
    assertThat(f.get(0).recentMean()).isCloseTo(expected, within(1e-9));
    assertThat(recent[1]).isEqualTo(4);
  }

  @Test
  void forecastsOfAnOriginReadNothingAtOrAfterIt() {
    SeriesBaselines s = powerLaw(40, -2.2);
    SeriesBaselines altered = powerLaw(40, -2.2);
    // same rows before week 30, wildly different after
    LocalDate[] w = new LocalDate[40];
    double[] units = new double[40];
    boolean[] censored = new boolean[40];
    double[][] x = new double[40][];
    for (int i = 0; i < 40; i++) {
      w[i] = START.plusWeeks(i);
      double price = 40 * (1 - 0.1 * (i % 7));
      double promo = i % 5 == 0 ? 1 : 0;
      units[i] = 5000 * Math.pow(price, -2.2) * Math.pow(1.5, promo) * 400 - 1;
      x[i] = new double[] {Math.log(price), promo};
      if (i >= 30) {
        units[i] = 1e6;
        censored[i] = i % 2 == 0;
      }
    }
    altered = new SeriesBaselines("shirts", "DE", w, units, censored, x, 40);
    LocalDate origin = START.plusWeeks(30);
    LogLogElasticity.Fit pooled = new LogLogElasticity.Fit(1, new double[] {-1, 0}, 1);
    assertThat(altered.forecast(origin, 4, 30, pooled, 3)).isEqualTo(s.forecast(origin, 4, 30, pooled, 3));
  }

  @Test
  void shortSeriesTakeThePooledSlopesWithTheirOwnLevel() {
    // two long series of one category with elasticity -2, a short one (3 weeks, 10x the level)
    double[] pool = LogLogElasticity.pool(1);
    for (double level : new double[] {100, 300}) {
      double[][] x = new double[30][];
      double[] y = new double[30];
      for (int i = 0; i < 30; i++) {
        double price = 10 + (i % 6);
        x[i] = new double[] {Math.log(price)};
        y[i] = Math.log(level * Math.pow(price / 10, -2.0));
      }
      LogLogElasticity.addSeries(pool, x, y, 30);
    }
    LogLogElasticity.Fit pooled = LogLogElasticity.pooledFit(pool);
    assertThat(pooled.elasticity()).isCloseTo(-2.0, within(0.01));

    double[][] x = {{Math.log(10)}, {Math.log(10)}, {Math.log(10)}};
    double[] y = {Math.log(3000), Math.log(3000), Math.log(3000)};
    LogLogElasticity.Fit shortFit = LogLogElasticity.seriesFit(x, y, 3, 1, pooled);
    assertThat(shortFit.elasticity()).isEqualTo(pooled.elasticity());
    assertThat(shortFit.smearing()).isCloseTo(1.0, within(1e-12));
    // its own level at price 10, the pooled response at price 20: 3000 · 2^−2 − 1
    assertThat(shortFit.units(new double[] {Math.log(20)})).isCloseTo(749.0, within(5.0));
    // without any point, the pooled fit itself
    assertThat(LogLogElasticity.seriesFit(x, y, 0, 1, pooled)).isSameAs(pooled);
    assertThat(LogLogElasticity.pooledFit(LogLogElasticity.pool(1))).isNull();
  }

  @Test
  void aLongSeriesWithoutPriceVariationKeepsThePooledElasticity() {
    LogLogElasticity.Fit pooled = new LogLogElasticity.Fit(0, new double[] {-1.5}, 1);
    double[][] x = new double[20][];
    double[] y = new double[20];
    for (int i = 0; i < 20; i++) {
      x[i] = new double[] {Math.log(25)};
      y[i] = Math.log(51);
    }
    LogLogElasticity.Fit fit = LogLogElasticity.seriesFit(x, y, 20, 1, pooled);
    assertThat(fit.elasticity()).isCloseTo(-1.5, within(1e-9));
    assertThat(fit.units(new double[] {Math.log(25)})).isCloseTo(50.0, within(1e-9));
  }

  @Test
  void refusesWeeksOutOfOrder() {
    LocalDate[] w = {START.plusWeeks(1), START};
    assertThatThrownBy(
            () ->
                new SeriesBaselines(
                    "c", "DE", w, new double[2], new boolean[2],
                    new double[][] {{0}, {0}}, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot build series: weeks must be strictly ascending (2024-01-01 after 2024-01-08)");
  }
}
