package io.pricepath.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureLayoutTest {
  private static final FeatureLayout LAYOUT =
      new FeatureLayout(
          new FeatureLayout.Spec(
              new FeatureLayout.Vocabulary("market", List.of("DE", "FR")),
              new FeatureLayout.Vocabulary("category", List.of("dresses", "shirts")),
              new FeatureLayout.Vocabulary("brand", List.of("acme")),
              List.of(new FeatureLayout.Vocabulary("c_color", List.of("blue", "red"))),
              List.of("x_weight"),
              List.of("x_promo")));

  private static OriginState state(String market, String color) {
    return new OriginState(
        "A1", market, "shirts", null, new String[] {color}, new double[] {2.5}, 4.0,
        LocalDate.of(2024, 1, 1), LocalDate.of(2024, 3, 4), Math.E, 6, 5, 4, 0.2, 0.15, 0.1, 8,
        40, 60, LocalDate.of(2024, 1, 8));
  }

  private float value(float[] f, String name) {
    return f[LAYOUT.names().indexOf(name)];
  }

  @Test
  void encodesEveryBlockInOrder() {
    assertThat(LAYOUT.articleWidth()).isEqualTo(7);
    assertThat(LAYOUT.width()).isEqualTo(7 + 10 + 8);
    float[] f = new float[LAYOUT.width()];
    LAYOUT.fill(f, 0, state("FR", "red"), 3, LocalDate.of(2024, 2, 5), 0.5, new double[] {1.0});
    assertThat(value(f, "article:market")).isEqualTo(1f);
    assertThat(value(f, "article:category")).isEqualTo(1f);
    assertThat(value(f, "article:brand")).isNaN();
    assertThat(value(f, "article:c_color")).isEqualTo(1f);
    assertThat(value(f, "article:x_weight")).isEqualTo(2.5f);
    assertThat(value(f, "article:log_black_price")).isEqualTo(1f);
    assertThat(value(f, "origin:sell_through")).isEqualTo(0.4f);
    assertThat(value(f, "week:h")).isEqualTo(3f);
    assertThat(value(f, FeatureLayout.DISCOUNT)).isEqualTo(0.5f);
    assertThat(value(f, FeatureLayout.DISCOUNT_STEP)).isEqualTo(0.3f);
    assertThat(value(f, "week:age_weeks")).isEqualTo(5f);
    assertThat(value(f, "week:weeks_to_exit")).isEqualTo(4f);
    assertThat(value(f, "week:x_promo")).isEqualTo(1f);
  }

  @Test
  void unknownValuesAreMissingAndAbsentSignalsZero() {
    float[] f = new float[LAYOUT.width()];
    LAYOUT.fill(f, 0, state("PL", "green"), 1, LocalDate.of(2024, 2, 5), 0.0, null);
    assertThat(value(f, "article:market")).isNaN();
    assertThat(value(f, "article:c_color")).isNaN();
    assertThat(value(f, "week:x_promo")).isZero();
  }

  @Test
  void setDiscountEqualsAFreshFillAndOnlyDiscountFeaturesAreConstrained() {
    OriginState s = state("DE", "blue");
    LocalDate week = LocalDate.of(2024, 2, 12);
    float[] fresh = new float[LAYOUT.width()];
    LAYOUT.fill(fresh, 0, s, 2, week, 0.4, new double[] {0});
    float[] rewritten = new float[LAYOUT.width() * 2];
    LAYOUT.fill(rewritten, LAYOUT.width(), s, 2, week, 0.1, new double[] {0});
    LAYOUT.setDiscount(rewritten, LAYOUT.width(), s, 0.4);
    assertThat(java.util.Arrays.copyOfRange(rewritten, LAYOUT.width(), 2 * LAYOUT.width()))
        .containsExactly(fresh);
    int[] m = LAYOUT.monotoneIncreasing();
    for (int i = 0; i < m.length; i++) {
      assertThat(m[i])
          .as(LAYOUT.names().get(i))
          .isEqualTo(LAYOUT.discountFeatures().contains(LAYOUT.names().get(i)) ? 1 : 0);
    }
  }
}
