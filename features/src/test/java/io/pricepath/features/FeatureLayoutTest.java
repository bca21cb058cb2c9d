package io.pricepath.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
        40, 60, LocalDate.of(2024, 1, 8), OriginState.RecentWeeks.NONE,
        OriginState.LaunchPriors.NONE, OriginState.ReturnHistory.NONE, new double[0]);
  }

  private float value(float[] f, String name) {
    return f[LAYOUT.names().indexOf(name)];
  }

  @Test
  void encodesEveryBlockInOrder() {
    assertThat(LAYOUT.articleWidth()).isEqualTo(7);
    assertThat(LAYOUT.width()).isEqualTo(7 + 31 + 11);
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
    assertThat(value(f, FeatureLayout.LOG_PRICE)).isEqualTo((float) Math.log(Math.E * 0.5));
    assertThat(value(f, "week:age_weeks")).isEqualTo(5f);
    assertThat(value(f, "week:weeks_to_exit")).isEqualTo(4f);
    assertThat(value(f, "week:life_share")).isEqualTo(5f / 9);
    assertThat(value(f, FeatureLayout.SEASON_RATIO)).isNaN(); // none known
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
      String name = LAYOUT.names().get(i);
      int expected =
          name.equals(FeatureLayout.DISCOUNT) ? 1 : name.equals(FeatureLayout.LOG_PRICE) ? -1 : 0;
      assertThat(m[i]).as(name).isEqualTo(expected);
    }
    assertThat(LAYOUT.discountFeatures())
        .containsExactly(FeatureLayout.DISCOUNT, FeatureLayout.LOG_PRICE);
  }

  @Test
  void deDiscountedLevelsUseTheReferenceElasticityAndSkipCensoredWeeks() {
    FeatureLayout layout = LAYOUT.withReferenceElasticity(2.0);
    double[] units = new double[FeatureLayout.RECENT_WEEKS];
    double[] discounts = new double[FeatureLayout.RECENT_WEEKS];
    double[] censored = new double[FeatureLayout.RECENT_WEEKS];
    java.util.Arrays.fill(units, Double.NaN);
    java.util.Arrays.fill(discounts, Double.NaN);
    // one week back: no row; 2 weeks back: 10 units at 50 % off; 3 weeks back: sold out
    units[1] = 10;
    discounts[1] = 0.5;
    units[2] = 3;
    discounts[2] = 0.5;
    censored[2] = 1;
    units[5] = 4;
    discounts[5] = 0;
    OriginState s = state("DE", "blue");
    OriginState recent =
        new OriginState(
            s.articleId(), s.market(), s.category(), s.brand(), s.categoricals(), s.numerics(),
            s.unitCost(), s.firstWeek(), s.exitWeek(), s.blackPrice(), s.units1(), s.units4(),
            s.units8(), s.liveDiscount(), s.discount4(), s.discount8(), s.weeksOnSale(),
            s.cumulativeUnits(), s.stockAtOrigin(), s.firstSeen(),
            new OriginState.RecentWeeks(units, discounts, censored, new double[0]), s.launch(),
            s.returns(), s.seasonRatios());
    float[] f = new float[layout.width()];
    layout.fill(f, 0, recent, 1, LocalDate.of(2024, 2, 5), 0.0, null);
    float level4 = f[layout.names().indexOf("origin:level_4_dd")];
    assertThat(f[layout.names().indexOf("origin:level_1_dd")]).isNaN();
    assertThat(level4).isEqualTo((float) (10 * Math.exp(-1.0)));
    assertThat(f[layout.names().indexOf("origin:level_13_dd")])
        .isEqualTo((float) ((10 * Math.exp(-1.0) + 4) / 2));
    assertThat(f[layout.names().indexOf("origin:censored_share_4")]).isEqualTo(0.5f);
    assertThat(f[layout.names().indexOf("origin:weeks_since_last_row")]).isEqualTo(1f);
    // the base level is the plain 8-week level, measured at the mean discount of its rows
    assertThat(f[layout.baseLevelIndex()]).isEqualTo((float) ((10 * Math.exp(-1.0) + 4) / 2));
    assertThat(f[layout.baseDiscountIndex()]).isEqualTo(0.25f);
    // the smoothed level weighs the same rows by decay^weeks back, over the base level
    double d = FeatureLayout.SMOOTH_DECAY;
    double smooth = (d * 10 * Math.exp(-1.0) + Math.pow(d, 5) * 4) / (d + Math.pow(d, 5));
    assertThat(f[layout.names().indexOf(FeatureLayout.SMOOTH_RATIO)])
        .isCloseTo((float) (smooth / ((10 * Math.exp(-1.0) + 4) / 2)), within(1e-6f));
    // without week-by-week history every one of them is unknown
    LAYOUT.fill(f, 0, s, 1, LocalDate.of(2024, 2, 5), 0.0, null);
    assertThat(f[LAYOUT.names().indexOf("origin:level_4_dd")]).isNaN();
    assertThat(f[LAYOUT.names().indexOf("origin:weeks_since_last_row")]).isNaN();
    assertThat(f[LAYOUT.baseDiscountIndex()]).isNaN();
    assertThat(f[LAYOUT.names().indexOf(FeatureLayout.SMOOTH_RATIO)]).isNaN();
  }

  @Test
  void costPerUnitIsTheRecentCostOverTheUnitsOfWeeksWithSalesAndAKnownCost() {
    int n = FeatureLayout.RECENT_WEEKS;
    double[] units = new double[n];
    double[] costs = new double[n];
    java.util.Arrays.fill(units, Double.NaN);
    java.util.Arrays.fill(costs, Double.NaN);
    units[0] = 10; // 10 units for 45: counts
    costs[0] = 45;
    units[1] = 5; // cost unknown: left out
    units[2] = 0; // no sales, a cost of 3: left out
    costs[2] = 3;
    units[7] = 2; // 2 units for 11: counts
    costs[7] = 11;
    OriginState s = state("DE", "blue");
    OriginState withCosts =
        new OriginState(
            s.articleId(), s.market(), s.category(), s.brand(), s.categoricals(), s.numerics(),
            s.unitCost(), s.firstWeek(), s.exitWeek(), s.blackPrice(), s.units1(), s.units4(),
            s.units8(), s.liveDiscount(), s.discount4(), s.discount8(), s.weeksOnSale(),
            s.cumulativeUnits(), s.stockAtOrigin(), s.firstSeen(),
            new OriginState.RecentWeeks(units, new double[n], new double[n], new double[0],
                new double[0][], new double[0], new double[0], costs),
            s.launch(), s.returns(), s.seasonRatios());
    float[] f = new float[LAYOUT.width()];
    LAYOUT.fill(f, 0, withCosts, 1, LocalDate.of(2024, 2, 5), 0.0, null);
    assertThat(f[LAYOUT.costPerUnitIndex()]).isEqualTo((float) (56.0 / 12));
    assertThat(LAYOUT.costFeatures()).containsExactly(FeatureLayout.COST_PER_UNIT);
    // no cost known: unknown
    LAYOUT.fill(f, 0, s, 1, LocalDate.of(2024, 2, 5), 0.0, null);
    assertThat(f[LAYOUT.costPerUnitIndex()]).isNaN();
  }

  @Test
  void rejectsAReferenceElasticityOutOfRange() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LAYOUT.withReferenceElasticity(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot build a feature layout: the reference elasticity must be in [0, 10] (-1.0)");
  }

  @Test
  void theSequenceBlockHoldsTheWeeksBeforeTheOriginOldestFirstAndOnlyThem() {
    FeatureLayout seq = LAYOUT.withReferenceElasticity(2.0).withSequenceWeeks(3);
    assertThat(seq.width()).isEqualTo(LAYOUT.width() + 3 * 10);
    assertThat(seq.sequenceIndex()).isEqualTo(LAYOUT.width());
    assertThat(seq.names().subList(seq.sequenceIndex(), seq.sequenceIndex() + 10))
        .containsExactly("seq:3:units", "seq:3:discount", "seq:3:sold_out", "seq:3:known",
            "seq:3:price", "seq:3:stock", "seq:3:stock_known", "seq:3:week_sin",
            "seq:3:week_cos", "seq:3:x_promo");
    // the spec of a layout without the block writes itself as before (saved model versions)
    assertThat(LAYOUT.spec().toString()).doesNotContain("sequenceWeeks");
    assertThat(seq.spec().toString()).contains("sequenceWeeks=3");
    // index 0 is the week right before the origin; the week 3 back has no row
    OriginState.RecentWeeks weeks =
        new OriginState.RecentWeeks(
            new double[] {10, 4, Double.NaN, 99}, new double[] {0.5, 0, Double.NaN, 0},
            new double[] {1, 0, 0, 0}, new double[] {1, 1, 1, 1},
            new double[][] {{1}, {0}, {0}, {0}}, new double[] {Math.E, Math.E, Double.NaN, 1},
            new double[] {30, Double.NaN, Double.NaN, 5});
    OriginState s = state("DE", "blue");
    OriginState withHistory =
        new OriginState(s.articleId(), s.market(), s.category(), s.brand(), s.categoricals(),
            s.numerics(), s.unitCost(), s.firstWeek(), s.exitWeek(), s.blackPrice(), s.units1(),
            s.units4(), s.units8(), s.liveDiscount(), s.discount4(), s.discount8(),
            s.weeksOnSale(), s.cumulativeUnits(), s.stockAtOrigin(), s.firstSeen(), weeks,
            s.launch(), s.returns(), s.seasonRatios());
    float[] f = new float[seq.width()];
    seq.fill(f, 0, withHistory, 1, LocalDate.of(2024, 2, 5), 0.3, new double[] {1});
    float[] block = java.util.Arrays.copyOfRange(f, seq.sequenceIndex(), seq.width());
    // 3 weeks back (ISO week 3): no row — zeros, not known, but for its week of the year; the
    // 4th week back (99 units) is not in the block
    assertThat(java.util.Arrays.copyOfRange(block, 0, 7)).containsOnly(0f);
    assertThat(block[7]).isCloseTo((float) Math.sin(2 * Math.PI * 2 / 52), within(1e-6f));
    assertThat(block[8]).isCloseTo((float) Math.cos(2 * Math.PI * 2 / 52), within(1e-6f));
    assertThat(block[9]).isEqualTo(0f);
    // 2 weeks back: 4 units at full price, known; its stock unknown
    assertThat(block[10]).isEqualTo((float) Math.log1p(4));
    assertThat(block[13]).isEqualTo(1f);
    assertThat(block[15]).isEqualTo(0f);
    assertThat(block[16]).isEqualTo(0f);
    // the week before the origin (ISO week 5): 10 units at 50 % off, de-discounted by E = 2,
    // sold out, 30 in stock, promoted
    assertThat(block[20]).isCloseTo((float) Math.log1p(10 * Math.exp(-2 * 0.5)), within(1e-6f));
    assertThat(block[21]).isEqualTo(0.5f);
    assertThat(block[22]).isEqualTo(1f);
    assertThat(block[23]).isEqualTo(1f);
    assertThat(block[24]).isEqualTo(0f); // the origin's black price
    assertThat(block[25]).isEqualTo((float) Math.log1p(30));
    assertThat(block[26]).isEqualTo(1f);
    assertThat(block[27]).isCloseTo((float) Math.sin(2 * Math.PI * 4 / 52), within(1e-6f));
    assertThat(block[29]).isEqualTo(1f);
    // the week's own values (its discount, its signals) are not in the block: nothing after the
    // origin reaches it
    float[] other = new float[seq.width()];
    seq.fill(other, 0, withHistory, 4, LocalDate.of(2024, 2, 26), 0.7, new double[] {0});
    assertThat(java.util.Arrays.copyOfRange(other, seq.sequenceIndex(), seq.width()))
        .containsExactly(block);
  }
}
