package io.pricepath.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain levels, the signal share and lift and the base level of the origin block. */
class PlainLevelsTest {
  private static final FeatureLayout LAYOUT =
      new FeatureLayout(
              new FeatureLayout.Spec(
                  new FeatureLayout.Vocabulary("market", List.of("DE")),
                  new FeatureLayout.Vocabulary("category", List.of("dairy")),
                  new FeatureLayout.Vocabulary("brand", List.of("b")),
                  List.of(),
                  List.of(),
                  List.of("x_promo")))
          .withReferenceElasticity(1.0);

  private static OriginState state(double[] units, double[] discounts, double[] plain) {
    double[] censored = new double[FeatureLayout.RECENT_WEEKS];
    return new OriginState(
        "A1", "DE", "dairy", "b", new String[0], new double[0], 1.0, null, null, 2.0, 0, 0, 0, 0,
        0, 0, 10, 100, Double.NaN, LocalDate.of(2024, 1, 1),
        new OriginState.RecentWeeks(units, discounts, censored, plain), OriginState.LaunchPriors.NONE,
        OriginState.ReturnHistory.NONE, new double[0]);
  }

  private static float feature(float[] f, String name) {
    return f[LAYOUT.names().indexOf(name)];
  }

  @Test
  void plainLevelsSkipSignalledWeeksAndTheBaseLevelFallsBack() {
    int n = FeatureLayout.RECENT_WEEKS;
    double[] units = new double[n];
    double[] discounts = new double[n];
    double[] plain = new double[n];
    Arrays.fill(units, Double.NaN);
    Arrays.fill(discounts, Double.NaN);
    Arrays.fill(plain, 1);
    // last week: a promotion at 20 % off selling 30; before it two regular weeks of 10 and 12
    units[0] = 30;
    discounts[0] = 0.2;
    plain[0] = 0;
    units[1] = 10;
    discounts[1] = 0;
    units[2] = 12;
    discounts[2] = 0;
    float[] f = new float[LAYOUT.width()];
    LAYOUT.fill(f, 0, state(units, discounts, plain), 1, LocalDate.of(2024, 6, 3), 0.0, null);
    assertThat(feature(f, "origin:level_8_plain")).isEqualTo(11f);
    assertThat(feature(f, "origin:level_26_plain")).isEqualTo(11f);
    assertThat(feature(f, "origin:signal_share_8")).isEqualTo(1f / 3);
    // the promotion sold 30 · exp(−0.2) at full-price equivalent against a plain level of 11
    assertThat(feature(f, "origin:signal_lift_52")).isEqualTo((float) (30 * Math.exp(-0.2) / 11));
    assertThat(feature(f, FeatureLayout.BASE_LEVEL)).isEqualTo(11f);
    assertThat(feature(f, "origin:level_8_dd"))
        .isEqualTo((float) ((30 * Math.exp(-0.2) + 10 + 12) / 3));
    assertThat(LAYOUT.logBaseLevel(f, 0)).isEqualTo(Math.log1p(11f));

    // only promoted weeks: the base level is the de-discounted 8-week level
    Arrays.fill(plain, 0);
    LAYOUT.fill(f, 0, state(units, discounts, plain), 1, LocalDate.of(2024, 6, 3), 0.0, null);
    assertThat(feature(f, "origin:level_8_plain")).isNaN();
    assertThat(feature(f, "origin:signal_lift_52")).isNaN(); // no plain level to compare with
    assertThat(feature(f, FeatureLayout.BASE_LEVEL)).isEqualTo(feature(f, "origin:level_8_dd"));

    // no history: unknown, and the log base level is 0
    Arrays.fill(units, Double.NaN);
    LAYOUT.fill(f, 0, state(units, discounts, plain), 1, LocalDate.of(2024, 6, 3), 0.0, null);
    assertThat(feature(f, FeatureLayout.BASE_LEVEL)).isNaN();
    assertThat(LAYOUT.logBaseLevel(f, 0)).isZero();

    // an (article, market) without history: the launch prior by brand, else by category
    OriginState s = state(units, discounts, plain);
    for (double[] priors : new double[][] {{7, 5}, {Double.NaN, 5}}) {
      OriginState cold =
          new OriginState(
              s.articleId(), s.market(), s.category(), s.brand(), s.categoricals(), s.numerics(),
              s.unitCost(), s.firstWeek(), s.exitWeek(), Double.NaN, Double.NaN, Double.NaN,
              Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, Double.NaN, null, s.recent(),
              new OriginState.LaunchPriors(priors[0], priors[1]), OriginState.ReturnHistory.NONE, new double[0]);
      LAYOUT.fill(f, 0, cold, 2, LocalDate.of(2024, 6, 3), 0.0, null);
      assertThat(feature(f, "origin:launch_prior_category")).isEqualTo(5f);
      assertThat(feature(f, FeatureLayout.BASE_LEVEL))
          .isEqualTo(Double.isNaN(priors[0]) ? 5f : 7f);
    }
  }
}
