package io.pricepath.features;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The fixed-width feature vector of the discount-dependent models, and the vocabularies that
 * encode its categorical attributes. Spark-free: the same instance encodes training samples and
 * scoring rows, and it is saved with every model (see {@link #spec()}).
 *
 * <p>The vector has three blocks, in this order:
 *
 * <ol>
 *   <li>article block ({@link #articleWidth()} columns): market, category, brand and every
 *       {@code c_*} attribute as integer codes into the vocabularies ({@code NaN} for values not
 *       in them), every article {@code x_*} attribute, log black price, unit cost;
 *   <li>origin block: weeks on sale, cumulative units, sell-through, stock at origin, and the
 *       <em>de-discounted</em> levels: mean of {@code units · exp(−E · discount)} over the
 *       uncensored rows of the last 1/2/4/8/13/26 weeks, with E the layout's {@linkplain
 *       Spec#referenceElasticity() reference elasticity} (the full-price-equivalent demand
 *       level, comparable whatever discount it was sold at), their 4-to-13-week trend, the share
 *       of censored rows in the last 4 weeks and the weeks since the last row; the
 *       <em>plain</em> de-discounted levels over 8, 26 and 52 weeks, which skip the weeks with a
 *       weekly {@code x_*} signal (a promotion's lift is not the regular level), and the share
 *       of the last 8 weeks' rows that had a signal, the article's own <em>signal lift</em> (its
 *       de-discounted level in the signalled weeks of the last 52 over its plain 52-week level:
 *       how its own promotions lifted it), the launch priors (how articles of the same
 *       market, category and brand, else category, sold in their first weeks, see {@link
 *       FeatureBuilder#LAUNCH_PRIOR_BRAND}), the {@linkplain #BASE_LEVEL base level} and the
 *       {@linkplain #BASE_DISCOUNT discount it was measured at} (for a parametric discount
 *       response, not for trees), and the article's own return history: units of its matured
 *       sales, their return ratio shrunk to the category's, the discount it was measured at and
 *       their mean return time (see {@link OriginState.ReturnHistory}), and its {@linkplain
 *       #COST_PER_UNIT fulfillment cost per unit} over the recent weeks. The raw sales levels and
 *       the recent discounts are deliberately not features: a level measured at the live
 *       discount lets the trees explain demand by the discount history instead of the decision,
 *       which is how a model learns too weak a discount response;
 *   <li>week block: horizon {@code h}, discount of the week, log price of the week (last black
 *       price × (1 − discount)), weeks since the first week, weeks to the exit week, share of the
 *       life cycle elapsed, week-of-year sine and cosine, the {@linkplain #SEASON_RATIO category
 *       season ratio} of the week, every weekly {@code x_*} signal of the week.
 * </ol>
 *
 * Unknown values are {@code NaN} (missing for the trees): an article without history before the
 * origin has every origin feature unknown and is forecast from its attributes, age and week.
 * Only the discount and the log price of the week change with the decision ({@link
 * #discountFeatures()}); {@link #monotoneIncreasing()} constrains both so that demand is
 * non-decreasing in the discount. The demand model of the forecast module learns the discount
 * response as a parametric term on top of trees that read neither.
 */
public final class FeatureLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Feature name of the decision variable. */
  public static final String DISCOUNT = "week:discount";

  /**
   * Feature name of the week's log price, {@code log(last black price × (1 − discount))}:
   * decreasing in the discount.
   */
  public static final String LOG_PRICE = "week:log_price";

  /**
   * Feature name of the base level: the plain 8-week level, else the de-discounted 8-week level,
   * else the 26-week one; for an (article, market) without history, its launch prior by brand,
   * else by category ({@code NaN} without any). A demand model may read it as an offset
   * ({@link #logBaseLevel}) and learn the ratio of demand to it.
   */
  public static final String BASE_LEVEL = "origin:base_level";

  /**
   * Feature name of the base level's discount: the mean discount of the rows the {@linkplain
   * #BASE_LEVEL base level} was measured on (0 for a launch prior, {@code NaN} without a base
   * level). {@code base level · exp(E · base discount)} is the recent level at that discount, the
   * reference a discount response starts from.
   */
  public static final String BASE_DISCOUNT = "origin:base_discount";

  /**
   * Feature name of the smoothed level's ratio: the exponentially weighted plain level (weights
   * {@value #SMOOTH_DECAY}<sup>weeks back</sup> over the uncensored rows without a weekly signal
   * of the last 52 weeks, de-discounted like the others) over the {@linkplain #BASE_LEVEL base
   * level}; known only where the base level is the plain 8-week level. Where levels drift slowly
   * an 8-week mean is mostly noise; a demand model may blend the two by a learnt power of this
   * ratio.
   */
  public static final String SMOOTH_RATIO = "origin:smooth_ratio";

  /**
   * Feature name of the series' own discount response: the slope of a Poisson regression of its
   * own uncensored weeks before the origin on their discounts (with its signals, black prices and
   * a trend beside; see {@code OwnResponse}); {@code NaN} with too little history or price
   * variation. A demand model may move its category's response towards it by how much it knows.
   */
  public static final String OWN_SLOPE = "origin:own_slope";

  /** Feature name of the variance of {@link #OWN_SLOPE} (dispersion included). */
  public static final String OWN_SLOPE_VARIANCE = "origin:own_slope_variance";

  /**
   * Feature name of the series' own level over the {@linkplain #BASE_LEVEL base level}: the level
   * its own regression ({@link #OWN_SLOPE}) puts on the week before the origin, at the base
   * level's discount and its weeks' mean signals, over the base level at that discount. Where
   * the base level's weeks are a noisy or promoted sample, a demand model may blend the two.
   */
  public static final String OWN_LEVEL_RATIO = "origin:own_level_ratio";

  /**
   * Feature name of the target week's own signal lift: {@code exp(Σ c_k · (x_k − x̄_k))}, the
   * series' own regression coefficients {@code c_k} of its weekly {@code x_*} signals, {@code x_k}
   * this week's signals and {@code x̄_k} their mean over the base level's weeks (clamped to
   * [0.1, 10]; 1 without signals, {@code NaN} without the regression).
   */
  public static final String OWN_SIGNAL_RATIO = "week:own_signal_ratio";

  /** Weekly decay of the weights of the smoothed level ({@link #SMOOTH_RATIO}). */
  public static final double SMOOTH_DECAY = 0.93;

  /** {@code SMOOTH_DECAY^back} for every week back the recent weeks carry. */
  private static final double[] SMOOTH_WEIGHTS =
      IntStream.range(0, FeatureLayout.RECENT_WEEKS)
          .mapToDouble(b -> Math.pow(SMOOTH_DECAY, b))
          .toArray();

  /**
   * Feature name of the article's return ratio: the returns of its matured sales over those
   * sales, shrunk to its category's ratio (see {@link #returnRatio}); the category's without
   * matured sales of its own, {@code NaN} when neither is known. A return-rate model may read it
   * as a prior.
   */
  public static final String RETURN_RATIO = "origin:return_ratio";

  /**
   * Feature name of the discount the {@linkplain #RETURN_RATIO return ratio} was measured at: the
   * units-weighted mean discount of the same sales, shrunk to the category's alike ({@code NaN}
   * when the ratio is unknown). A return response starts from it (not for trees).
   */
  public static final String RETURN_DISCOUNT = "origin:return_discount";

  /**
   * Feature name of the article's fulfillment cost per unit sold over the {@linkplain
   * #RECENT_WEEKS recent weeks} with sales and a known cost ({@link
   * OriginState.RecentWeeks#costPerUnit}; {@code NaN} when none is known). A fulfillment-cost
   * model may read it as a prior: what a unit of this article costs to ship is mostly its own.
   */
  public static final String COST_PER_UNIT = "origin:cost_per_unit";

  /**
   * Feature name of the week's category season ratio (see {@link FeatureBuilder#SEASON_RATIOS}):
   * how the regular sales of the market and category moved a year earlier, from the base level's
   * weeks to this week.
   */
  public static final String SEASON_RATIO = "week:season_ratio";

  /** Windows (weeks before the origin) of the recent levels. */
  private static final int[] LEVEL_WINDOWS = {1, 2, 4, 8, 13, 26};

  /** Weeks of history before an origin that an {@link OriginState} carries week by week. */
  public static final int RECENT_WEEKS = 52;

  private static final List<String> ORIGIN_FEATURES =
      List.of(
          "origin:weeks_on_sale",
          "origin:cumulative_units",
          "origin:sell_through",
          "origin:stock",
          "origin:level_1_dd",
          "origin:level_2_dd",
          "origin:level_4_dd",
          "origin:level_8_dd",
          "origin:level_13_dd",
          "origin:level_26_dd",
          "origin:trend_4_13_dd",
          "origin:censored_share_4",
          "origin:weeks_since_last_row",
          "origin:level_8_plain",
          "origin:level_26_plain",
          "origin:level_52_plain",
          "origin:signal_share_8",
          "origin:signal_lift_52",
          "origin:launch_prior_brand",
          "origin:launch_prior_category",
          BASE_LEVEL,
          BASE_DISCOUNT,
          SMOOTH_RATIO,
          OWN_SLOPE,
          OWN_SLOPE_VARIANCE,
          OWN_LEVEL_RATIO,
          "origin:return_sold",
          RETURN_RATIO,
          RETURN_DISCOUNT,
          "origin:return_weeks",
          COST_PER_UNIT);

  /**
   * Units of pseudo-evidence of the category's return ratio in an article's shrunk return ratio
   * {@code (returned + K · category ratio) / (sold + K)}: an article that sold K matured units
   * weighs its own returns as much as its category's.
   */
  static final double RETURN_PRIOR_UNITS = 50;

  /** Windows (weeks before the origin) of the plain levels. */
  private static final int[] PLAIN_WINDOWS = {8, 26, 52};

  /** Window of the share of recent rows with a weekly signal. */
  private static final int SIGNAL_WINDOW = 8;

  /** Weeks before the origin over which an article's own lift in signalled weeks is measured. */
  private static final int LIFT_WINDOW = 52;

  /**
   * A vocabulary: the known values of one categorical column, in code order.
   *
   * @param column the column (market, category, brand or a {@code c_*} attribute)
   * @param values distinct values; a value's code is its index
   */
  public record Vocabulary(String column, List<String> values) implements Serializable {
    public Vocabulary {
      Objects.requireNonNull(column, "column");
      values = List.copyOf(values);
    }
  }

  /**
   * What defines a layout, as saved with a model.
   *
   * @param market vocabulary of {@code market}
   * @param category vocabulary of {@code category}
   * @param brand vocabulary of {@code brand}
   * @param categoricals vocabularies of the article {@code c_*} attributes, in feature order
   * @param numerics article {@code x_*} attributes, in feature order
   * @param weeklySignals weekly {@code x_*} signals, in feature order
   * @param referenceElasticity E of the de-discounted levels ({@code units · exp(−E ·
   *     discount)}), in [0, 10]: estimated from the training history (0 = plain levels)
   * @param sequenceWeeks weeks of the {@linkplain SequenceBlock sequence block} at the vector's
   *     end (0: none; a sequence model's layout has one, the trees' has not)
   */
  public record Spec(
      Vocabulary market,
      Vocabulary category,
      Vocabulary brand,
      List<Vocabulary> categoricals,
      List<String> numerics,
      List<String> weeklySignals,
      double referenceElasticity,
      int sequenceWeeks)
      implements Serializable {
    public Spec {
      Objects.requireNonNull(market, "market");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(brand, "brand");
      categoricals = List.copyOf(categoricals);
      numerics = List.copyOf(numerics);
      weeklySignals = List.copyOf(weeklySignals);
      if (!(referenceElasticity >= 0 && referenceElasticity <= 10)) {
        throw new IllegalArgumentException(
            "Cannot build a feature layout: the reference elasticity must be in [0, 10] (%s)"
                .formatted(referenceElasticity));
      }
    }

    /** A spec without a sequence block. */
    public Spec(
        Vocabulary market,
        Vocabulary category,
        Vocabulary brand,
        List<Vocabulary> categoricals,
        List<String> numerics,
        List<String> weeklySignals,
        double referenceElasticity) {
      this(market, category, brand, categoricals, numerics, weeklySignals, referenceElasticity, 0);
    }

    /** A spec with plain (not de-discounted) levels: reference elasticity 0. */
    public Spec(
        Vocabulary market,
        Vocabulary category,
        Vocabulary brand,
        List<Vocabulary> categoricals,
        List<String> numerics,
        List<String> weeklySignals) {
      this(market, category, brand, categoricals, numerics, weeklySignals, 0.0);
    }

    /** This spec with another reference elasticity. */
    public Spec withReferenceElasticity(double elasticity) {
      return new Spec(
          market, category, brand, categoricals, numerics, weeklySignals, elasticity,
          sequenceWeeks);
    }

    /**
     * As a record writes itself, the sequence weeks only where there is a block: saved models
     * hash this text into their version, and those saved before the block existed keep theirs.
     */
    @Override
    public String toString() {
      return "Spec[market=" + market + ", category=" + category + ", brand=" + brand
          + ", categoricals=" + categoricals + ", numerics=" + numerics + ", weeklySignals="
          + weeklySignals + ", referenceElasticity=" + referenceElasticity
          + (sequenceWeeks > 0 ? ", sequenceWeeks=" + sequenceWeeks : "") + "]";
    }

    /** This spec with a sequence block of {@code weeks} weeks (0: none). */
    public Spec withSequenceWeeks(int weeks) {
      return new Spec(
          market, category, brand, categoricals, numerics, weeklySignals, referenceElasticity,
          weeks);
    }
  }

  private final Spec spec;
  private final List<String> names;
  private final int articleWidth;
  private final int discountIndex;
  private final int logPriceIndex;
  private final int baseLevelIndex;
  private final int baseDiscountIndex;
  private final SequenceBlock sequence;
  private final int sequenceIndex;
  private transient Map<String, Integer>[] codes;

  /** A layout for the given vocabularies and attribute lists. */
  public FeatureLayout(Spec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
    List<String> n = new ArrayList<>();
    n.add("article:market");
    n.add("article:category");
    n.add("article:brand");
    for (Vocabulary v : spec.categoricals()) {
      n.add("article:" + v.column());
    }
    for (String x : spec.numerics()) {
      n.add("article:" + x);
    }
    n.add("article:log_black_price");
    n.add("article:unit_cost");
    this.articleWidth = n.size();
    n.addAll(ORIGIN_FEATURES);
    this.baseLevelIndex = n.indexOf(BASE_LEVEL);
    this.baseDiscountIndex = n.indexOf(BASE_DISCOUNT);
    n.add("week:h");
    this.discountIndex = n.size();
    n.add(DISCOUNT);
    this.logPriceIndex = n.size();
    n.add(LOG_PRICE);
    n.add("week:age_weeks");
    n.add("week:weeks_to_exit");
    n.add("week:life_share");
    n.add("week:woy_sin");
    n.add("week:woy_cos");
    n.add(SEASON_RATIO);
    n.add(OWN_SIGNAL_RATIO);
    for (String x : spec.weeklySignals()) {
      n.add("week:" + x);
    }
    this.sequence =
        new SequenceBlock(spec.sequenceWeeks(), spec.weeklySignals(), spec.referenceElasticity());
    this.sequenceIndex = n.size();
    n.addAll(sequence.names(spec.weeklySignals()));
    this.names = List.copyOf(n);
  }

  /**
   * A fingerprint of how this class builds vectors (the fixed feature names and windows), for
   * caches of models: a layout change gives another fingerprint.
   */
  public static String codeFingerprint() {
    String code =
        String.join(",", ORIGIN_FEATURES)
            + java.util.Arrays.toString(LEVEL_WINDOWS)
            + java.util.Arrays.toString(PLAIN_WINDOWS)
            + SIGNAL_WINDOW
            + RECENT_WEEKS
            + RETURN_PRIOR_UNITS
            + new FeatureLayout(
                    new Spec(
                        new Vocabulary("market", List.of()),
                        new Vocabulary("category", List.of()),
                        new Vocabulary("brand", List.of()),
                        List.of(),
                        List.of(),
                        List.of()))
                .names();
    return Integer.toHexString(code.hashCode());
  }

  /** The spec this layout was built from (what a saved model stores). */
  public Spec spec() {
    return spec;
  }

  /** Feature names, in vector order. */
  public List<String> names() {
    return names;
  }

  /** Index of {@link #BASE_LEVEL} in the vector. */
  public int baseLevelIndex() {
    return baseLevelIndex;
  }

  /** Index of {@link #BASE_DISCOUNT} in the vector. */
  public int baseDiscountIndex() {
    return baseDiscountIndex;
  }

  /** Index of {@link #RETURN_RATIO} in the vector. */
  public int returnRatioIndex() {
    return names.indexOf(RETURN_RATIO);
  }

  /** Index of {@link #COST_PER_UNIT} in the vector. */
  public int costPerUnitIndex() {
    return names.indexOf(COST_PER_UNIT);
  }

  /** Index of {@link #DISCOUNT} in the vector. */
  public int discountIndex() {
    return discountIndex;
  }

  /** Index of the category code in the vector (the article block's second feature). */
  public int categoryIndex() {
    return 1;
  }

  /**
   * The log base level of the vector at {@code offset}: {@code log(1 + base level)}, 0 when it
   * is unknown. It does not depend on the week's discount.
   */
  public double logBaseLevel(float[] vector, int offset) {
    float base = vector[offset + baseLevelIndex];
    return Float.isNaN(base) || base < 0 ? 0.0 : Math.log1p(base);
  }

  /** Width of the full vector. */
  public int width() {
    return names.size();
  }

  /** Width of the article block, the vector's prefix that does not depend on origin or week. */
  public int articleWidth() {
    return articleWidth;
  }

  /** The sequence block at the vector's end ({@linkplain SequenceBlock#weeks() 0 weeks}: none). */
  public SequenceBlock sequence() {
    return sequence;
  }

  /** Index of the sequence block's first value in the vector (the width when there is none). */
  public int sequenceIndex() {
    return sequenceIndex;
  }

  /** The layout for this spec with a sequence block of {@code weeks} weeks (0: none). */
  public FeatureLayout withSequenceWeeks(int weeks) {
    return new FeatureLayout(spec.withSequenceWeeks(weeks));
  }

  /** The layout for this spec with another reference elasticity (see {@link Spec}). */
  public FeatureLayout withReferenceElasticity(double elasticity) {
    return new FeatureLayout(spec.withReferenceElasticity(elasticity));
  }

  /**
   * Monotone constraints for a model that must be non-decreasing in the discount, one per
   * feature: {@code 1} for the discount of the week, {@code -1} for the log price of the week
   * (which falls as the discount rises), {@code 0} elsewhere. Every feature derived from the
   * week's discount is constrained, so a model that honours them is non-decreasing in the
   * discount for every row.
   */
  public int[] monotoneIncreasing() {
    int[] c = new int[width()];
    c[discountIndex] = 1;
    c[logPriceIndex] = -1;
    return c;
  }

  /**
   * Names of the features that describe what an article costs, not how it sells: demand models
   * do not read them.
   */
  public List<String> costFeatures() {
    return List.of(COST_PER_UNIT);
  }

  /** Names of the features derived from the week's discount (all of them constrained). */
  public List<String> discountFeatures() {
    return List.of(DISCOUNT, LOG_PRICE);
  }

  /**
   * Writes the article block of {@code state} into {@code out[offset .. offset+articleWidth)}.
   */
  public void fillArticle(float[] out, int offset, OriginState state) {
    Map<String, Integer>[] c = codes();
    int i = offset;
    out[i++] = code(c[0], state.market());
    out[i++] = code(c[1], state.category());
    out[i++] = code(c[2], state.brand());
    String[] cat = state.categoricals();
    for (int k = 0; k < spec.categoricals().size(); k++) {
      out[i++] = code(c[3 + k], k < cat.length ? cat[k] : null);
    }
    double[] num = state.numerics();
    for (int k = 0; k < spec.numerics().size(); k++) {
      out[i++] = k < num.length ? (float) num[k] : Float.NaN;
    }
    out[i++] = state.blackPrice() > 0 ? (float) Math.log(state.blackPrice()) : Float.NaN;
    out[i] = (float) state.unitCost();
  }

  /**
   * What the vector of one origin state holds whatever its target week and discount: its article
   * and origin blocks, and the series' own response the week block reads. The rows of one state
   * (its target weeks, its ladder levels) share one, built once ({@link #block}).
   */
  public static final class StateBlock {
    private final OriginState state;
    private final float[] head;
    private final Own own;

    private StateBlock(OriginState state, float[] head, Own own) {
      this.state = state;
      this.head = head;
      this.own = own;
    }

    /** The state it was built from. */
    public OriginState state() {
      return state;
    }
  }

  /** The {@link StateBlock} of {@code state}: its article and origin blocks, computed once. */
  public StateBlock block(OriginState state) {
    float[] out = new float[articleWidth + ORIGIN_FEATURES.size()];
    fillArticle(out, 0, state);
    int i = articleWidth;
    out[i++] = (float) state.weeksOnSale();
    out[i++] = (float) state.cumulativeUnits();
    double stock = state.stockAtOrigin();
    double cum = state.cumulativeUnits();
    out[i++] = Double.isNaN(stock) || !(cum + stock > 0) ? Float.NaN : (float) (cum / (cum + stock));
    out[i++] = (float) stock;
    Own own = own(state);
    for (double v : recent(state, own)) {
      out[i++] = (float) v;
    }
    OriginState.ReturnHistory returns = state.returns();
    out[i++] = (float) returns.sold();
    out[i++] = (float) returnRatio(returns);
    out[i++] = (float) returnDiscount(returns);
    out[i++] =
        returns.returned() > 0 ? (float) (returns.returnWeeks() / returns.returned()) : Float.NaN;
    out[i++] = (float) state.recent().costPerUnit();
    return new StateBlock(state, out, own);
  }

  /**
   * Writes the full vector of {@code state} targeting {@code week} (horizon {@code h}) at
   * {@code discount} into {@code out[offset .. offset+width)}.
   *
   * @param weeklySignals values of the weekly {@code x_*} signals of {@code week}, in
   *     {@link Spec#weeklySignals()} order; null or short arrays count as 0
   */
  public void fill(
      float[] out,
      int offset,
      OriginState state,
      int h,
      LocalDate week,
      double discount,
      double[] weeklySignals) {
    fill(out, offset, block(state), h, week, discount, weeklySignals);
  }

  /**
   * As {@link #fill(float[], int, OriginState, int, LocalDate, double, double[])}, with the
   * state's article and origin blocks taken from {@code block}.
   */
  public void fill(
      float[] out,
      int offset,
      StateBlock block,
      int h,
      LocalDate week,
      double discount,
      double[] weeklySignals) {
    OriginState state = block.state;
    Own own = block.own;
    System.arraycopy(block.head, 0, out, offset, block.head.length);
    int i = offset + block.head.length;
    out[i++] = h;
    out[i++] = (float) discount;
    out[i++] = logPrice(state, discount);
    LocalDate first = state.firstWeek() != null ? state.firstWeek() : state.firstSeen();
    long age = first == null ? Long.MIN_VALUE : ChronoUnit.WEEKS.between(first, week);
    long toExit =
        state.exitWeek() == null ? Long.MIN_VALUE : ChronoUnit.WEEKS.between(week, state.exitWeek());
    out[i++] = age == Long.MIN_VALUE ? Float.NaN : age;
    out[i++] = toExit == Long.MIN_VALUE ? Float.NaN : toExit;
    out[i++] =
        age == Long.MIN_VALUE || toExit == Long.MIN_VALUE || age + toExit < 1
            ? Float.NaN
            : (float) ((double) age / (age + toExit));
    double angle = 2 * Math.PI * (week.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR) - 1) / 52.0;
    out[i++] = (float) Math.sin(angle);
    out[i++] = (float) Math.cos(angle);
    double season = state.seasonRatio(h);
    out[i++] = Double.isNaN(season) ? Float.NaN : (float) season;
    out[i++] = (float) own.signalRatio(weeklySignals, spec.weeklySignals().size());
    int signals = spec.weeklySignals().size();
    for (int k = 0; k < signals; k++) {
      double v = weeklySignals != null && k < weeklySignals.length ? weeklySignals[k] : 0.0;
      out[i++] = Double.isNaN(v) ? 0f : (float) v;
    }
    sequence.fill(out, i, state, week.minusWeeks(h - 1L));
  }

  /**
   * Rewrites, in a vector that {@link #fill} wrote at {@code offset}, only the features derived
   * from the week's discount, for {@code discount}: the result equals a fresh {@code fill} with
   * that discount.
   */
  public void setDiscount(float[] out, int offset, OriginState state, double discount) {
    out[offset + discountIndex] = (float) discount;
    out[offset + logPriceIndex] = logPrice(state, discount);
  }

  private static float logPrice(OriginState state, double discount) {
    double price = state.blackPrice() * (1 - discount);
    return price > 0 ? (float) Math.log(price) : Float.NaN;
  }

  /**
   * The de-discounted levels of {@code LEVEL_WINDOWS} (mean of {@code units · exp(−E ·
   * discount)} over the uncensored rows of the window, NaN without one), then the 4-to-13-week
   * trend, the censored share of the last 4 weeks' rows, the weeks since the last row, the plain
   * levels of {@code PLAIN_WINDOWS} (the same means over the uncensored rows without a weekly
   * signal) and the share of the last {@code SIGNAL_WINDOW} weeks' rows with a signal, the
   * signal lift, the launch priors, the base level, its discount and the {@link #SMOOTH_RATIO}.
   */
  private double[] recent(OriginState state, Own own) {
    double[] units = state.recent().units();
    double[] discounts = state.recent().discounts();
    double[] censored = state.recent().censored();
    double[] plain = state.recent().plain();
    double e = spec.referenceElasticity();
    int windows = LEVEL_WINDOWS.length;
    int plainWindows = PLAIN_WINDOWS.length;
    double[] sum = new double[windows];
    double[] sumDiscount = new double[windows];
    int[] count = new int[windows];
    double[] plainSum = new double[plainWindows];
    double[] plainSumDiscount = new double[plainWindows];
    int[] plainCount = new int[plainWindows];
    int rows4 = 0;
    int censored4 = 0;
    int rowsSignal = 0;
    int signalled = 0;
    double signalSum = 0;
    int signalCount = 0;
    double smoothSum = 0;
    double smoothWeight = 0;
    int last = -1;
    int n = Math.min(units.length, Math.min(discounts.length, censored.length));
    for (int back = 0; back < n; back++) {
      if (Double.isNaN(units[back])) {
        continue;
      }
      if (last < 0) {
        last = back;
      }
      boolean isPlain = back >= plain.length || plain[back] > 0;
      if (back < SIGNAL_WINDOW) {
        rowsSignal++;
        signalled += isPlain ? 0 : 1;
      }
      boolean cut = censored[back] > 0;
      if (back < 4) {
        rows4++;
        censored4 += cut ? 1 : 0;
      }
      if (cut) {
        continue;
      }
      double d = Double.isNaN(discounts[back]) ? 0 : discounts[back];
      double level = units[back] * Math.exp(-e * d);
      if (!isPlain && back < LIFT_WINDOW) {
        signalSum += level;
        signalCount++;
      }
      for (int w = 0; w < windows; w++) {
        if (back < LEVEL_WINDOWS[w]) {
          sum[w] += level;
          sumDiscount[w] += d;
          count[w]++;
        }
      }
      if (isPlain && back < SMOOTH_WEIGHTS.length) {
        smoothSum += SMOOTH_WEIGHTS[back] * level;
        smoothWeight += SMOOTH_WEIGHTS[back];
      }
      for (int w = 0; w < plainWindows && isPlain; w++) {
        if (back < PLAIN_WINDOWS[w]) {
          plainSum[w] += level;
          plainSumDiscount[w] += d;
          plainCount[w]++;
        }
      }
    }
    double[] out = new double[windows + 3 + plainWindows + 10];
    for (int w = 0; w < windows; w++) {
      out[w] = count[w] == 0 ? Double.NaN : sum[w] / count[w];
    }
    double l4 = out[2];
    double l13 = out[4];
    out[windows] = l13 > 0 && !Double.isNaN(l4) ? l4 / l13 : Double.NaN;
    out[windows + 1] = rows4 == 0 ? Double.NaN : (double) censored4 / rows4;
    out[windows + 2] = last < 0 ? Double.NaN : last;
    for (int w = 0; w < plainWindows; w++) {
      out[windows + 3 + w] = plainCount[w] == 0 ? Double.NaN : plainSum[w] / plainCount[w];
    }
    out[windows + 3 + plainWindows] =
        rowsSignal == 0 ? Double.NaN : (double) signalled / rowsSignal;
    // The article's own lift in its signalled weeks over its plain level of the same weeks.
    double plainLift = out[windows + 3 + plainWindows - 1];
    out[windows + 3 + plainWindows + 1] =
        signalCount == 0 || !(plainLift > 0) ? Double.NaN : signalSum / signalCount / plainLift;
    // The base level and the mean discount of the rows it was measured on.
    double base = out[windows + 3];
    double baseDiscount = plainCount[0] == 0 ? Double.NaN : plainSumDiscount[0] / plainCount[0];
    if (Double.isNaN(base)) {
      int w = Double.isNaN(out[3]) ? 5 : 3;
      base = out[w];
      baseDiscount = count[w] == 0 ? Double.NaN : sumDiscount[w] / count[w];
    }
    double brandPrior = state.launch().brand();
    double categoryPrior = state.launch().category();
    if (Double.isNaN(base) && state.weeksOnSale() == 0) {
      base = Double.isNaN(brandPrior) ? categoryPrior : brandPrior;
      baseDiscount = Double.isNaN(base) ? Double.NaN : 0;
    }
    out[windows + 3 + plainWindows + 2] = brandPrior;
    out[windows + 3 + plainWindows + 3] = categoryPrior;
    out[windows + 3 + plainWindows + 4] = base;
    out[windows + 3 + plainWindows + 5] = baseDiscount;
    out[windows + 3 + plainWindows + 6] =
        plainCount[0] > 0 && base > 0 && smoothWeight > 0
            ? smoothSum / smoothWeight / base
            : Double.NaN;
    out[windows + 3 + plainWindows + 7] = own.fit().slope();
    out[windows + 3 + plainWindows + 8] = own.fit().slopeVariance();
    out[windows + 3 + plainWindows + 9] = own.levelRatio(base, baseDiscount, e);
    return out;
  }

  /**
   * A state's own regression ({@link OwnResponse}) and the mean signals of its base level's
   * weeks (the last 8 weeks with uncensored rows, else the last 26).
   */
  record Own(OwnResponse.Fit fit, double[] baseSignals) {
    /** {@link #OWN_LEVEL_RATIO} for a base level measured at {@code discount}. */
    double levelRatio(double base, double discount, double elasticity) {
      if (!fit.known() || !(base > 0) || baseSignals == null) {
        return Double.NaN;
      }
      double ref = Double.isNaN(discount) ? 0 : discount;
      double log = fit.logLevel() + (Double.isNaN(fit.slope()) ? 0 : fit.slope() * ref);
      for (int k = 0; k < baseSignals.length; k++) {
        log += fit.lifts()[k] * baseSignals[k];
      }
      double ratio = Math.exp(log - Math.log(base) - elasticity * ref);
      return Math.max(0.05, Math.min(20, ratio));
    }

    /** {@link #OWN_SIGNAL_RATIO} of a week with {@code signals}. */
    double signalRatio(double[] signals, int count) {
      if (!fit.known() || baseSignals == null) {
        return Double.NaN;
      }
      double log = 0;
      for (int k = 0; k < count; k++) {
        double x = signals != null && k < signals.length && !Double.isNaN(signals[k]) ? signals[k] : 0;
        log += fit.lifts()[k] * (x - baseSignals[k]);
      }
      return Math.exp(Math.max(Math.log(0.1), Math.min(Math.log(10), log)));
    }
  }

  /** The last state {@link #own} computed, per thread: a state is filled once per target week. */
  private Own own(OriginState state) {
    int signals = spec.weeklySignals().size();
    OriginState.RecentWeeks weeks = state.recent();
    return new Own(
        OwnResponse.fit(weeks, state.blackPrice(), signals), baseSignals(weeks, signals));
  }

  /** Mean signals over the uncensored rows of the last 8 weeks, else 26; null without any. */
  private static double[] baseSignals(OriginState.RecentWeeks weeks, int signals) {
    for (int window : new int[] {8, 26}) {
      double[] sum = new double[signals];
      int rows = 0;
      int n = Math.min(window, Math.min(weeks.units().length, weeks.censored().length));
      for (int back = 0; back < n; back++) {
        if (Double.isNaN(weeks.units()[back]) || weeks.censored()[back] > 0) {
          continue;
        }
        rows++;
        double[] x = back < weeks.signals().length ? weeks.signals()[back] : null;
        for (int k = 0; k < signals; k++) {
          sum[k] += x != null && k < x.length ? x[k] : 0;
        }
      }
      if (rows > 0) {
        for (int k = 0; k < signals; k++) {
          sum[k] /= rows;
        }
        return sum;
      }
    }
    return null;
  }

  /**
   * The article's own return ratio of its matured sales shrunk to its category's: {@code
   * (returned + K · category ratio) / (sold + K)} with {@code K = RETURN_PRIOR_UNITS}; the own
   * ratio when the category's is unknown, {@code NaN} when both are.
   */
  static double returnRatio(OriginState.ReturnHistory returns) {
    return shrunk(returns.returned(), returns.sold(), returns.categoryRatio());
  }

  /**
   * The discount {@link #returnRatio} was measured at: {@code (sold discount + K · category
   * discount) / (sold + K)}, the own mean discount when the category's is unknown, {@code NaN}
   * when both are.
   */
  static double returnDiscount(OriginState.ReturnHistory returns) {
    return shrunk(returns.soldDiscount(), returns.sold(), returns.categoryDiscount());
  }

  /**
   * {@code (sum + K · prior) / (sold + K)}: a per-unit mean over {@code sold} matured units shrunk
   * to {@code prior}; {@code sum / sold} when the prior is unknown, {@code NaN} without either.
   */
  private static double shrunk(double sum, double sold, double prior) {
    if (Double.isNaN(prior)) {
      return sold > 0 ? sum / sold : Double.NaN;
    }
    return (sum + RETURN_PRIOR_UNITS * prior) / (sold + RETURN_PRIOR_UNITS);
  }

  /** Index of {@link #RETURN_DISCOUNT} in the vector. */
  public int returnDiscountIndex() {
    return names.indexOf(RETURN_DISCOUNT);
  }

  private static float code(Map<String, Integer> vocabulary, String value) {
    if (value == null) {
      return Float.NaN;
    }
    Integer c = vocabulary.get(value);
    return c == null ? Float.NaN : c;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Integer>[] codes() {
    Map<String, Integer>[] c = codes;
    if (c == null) {
      List<Vocabulary> all = new ArrayList<>();
      all.add(spec.market());
      all.add(spec.category());
      all.add(spec.brand());
      all.addAll(spec.categoricals());
      c = new Map[all.size()];
      for (int k = 0; k < all.size(); k++) {
        Map<String, Integer> m = new HashMap<>();
        List<String> values = all.get(k).values();
        for (int j = 0; j < values.size(); j++) {
          m.put(values.get(j), j);
        }
        c[k] = Collections.unmodifiableMap(m);
      }
      codes = c;
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureLayout other && other.spec.equals(spec);
  }

  @Override
  public int hashCode() {
    return spec.hashCode();
  }

  @Override
  public String toString() {
    return "FeatureLayout" + names;
  }
}
