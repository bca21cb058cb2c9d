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
 *   <li>origin block: mean units over the last 1/4/8 weeks, live discount, mean discount over 4/8
 *       weeks, weeks on sale, cumulative units, sell-through, stock at origin;
 *   <li>week block: horizon {@code h}, discount of the week, discount minus live discount, weeks
 *       since the first week, weeks to the exit week, week-of-year sine and cosine, every weekly
 *       {@code x_*} signal of the week.
 * </ol>
 *
 * Unknown values are {@code NaN} (missing for the trees). Only the discount of the week and the
 * discount minus live discount change with the decision; {@link #monotoneIncreasing()} marks
 * both.
 */
public final class FeatureLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Feature name of the decision variable. */
  public static final String DISCOUNT = "week:discount";

  /** Feature name of the decision's step from the live discount. */
  public static final String DISCOUNT_STEP = "week:discount_step";

  private static final List<String> ORIGIN_FEATURES =
      List.of(
          "origin:units_1",
          "origin:units_4",
          "origin:units_8",
          "origin:live_discount",
          "origin:discount_4",
          "origin:discount_8",
          "origin:weeks_on_sale",
          "origin:cumulative_units",
          "origin:sell_through",
          "origin:stock");

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
   */
  public record Spec(
      Vocabulary market,
      Vocabulary category,
      Vocabulary brand,
      List<Vocabulary> categoricals,
      List<String> numerics,
      List<String> weeklySignals)
      implements Serializable {
    public Spec {
      Objects.requireNonNull(market, "market");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(brand, "brand");
      categoricals = List.copyOf(categoricals);
      numerics = List.copyOf(numerics);
      weeklySignals = List.copyOf(weeklySignals);
    }
  }

  private final Spec spec;
  private final List<String> names;
  private final int articleWidth;
  private final int discountIndex;
  private final int discountStepIndex;
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
    n.add("week:h");
    this.discountIndex = n.size();
    n.add(DISCOUNT);
    this.discountStepIndex = n.size();
    n.add(DISCOUNT_STEP);
    n.add("week:age_weeks");
    n.add("week:weeks_to_exit");
    n.add("week:woy_sin");
    n.add("week:woy_cos");
    for (String x : spec.weeklySignals()) {
      n.add("week:" + x);
    }
    this.names = List.copyOf(n);
  }

  /** The spec this layout was built from (what a saved model stores). */
  public Spec spec() {
    return spec;
  }

  /** Feature names, in vector order. */
  public List<String> names() {
    return names;
  }

  /** Width of the full vector. */
  public int width() {
    return names.size();
  }

  /** Width of the article block, the vector's prefix that does not depend on origin or week. */
  public int articleWidth() {
    return articleWidth;
  }

  /**
   * Monotone constraints for a model that must be non-decreasing in the discount: {@code 1} for
   * every feature derived from the week's discount, {@code 0} elsewhere.
   */
  public int[] monotoneIncreasing() {
    int[] c = new int[width()];
    c[discountIndex] = 1;
    c[discountStepIndex] = 1;
    return c;
  }

  /** Names of the features that {@link #monotoneIncreasing()} constrains. */
  public List<String> discountFeatures() {
    return List.of(DISCOUNT, DISCOUNT_STEP);
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
    fillArticle(out, offset, state);
    int i = offset + articleWidth;
    out[i++] = (float) state.units1();
    out[i++] = (float) state.units4();
    out[i++] = (float) state.units8();
    out[i++] = (float) state.liveDiscount();
    out[i++] = (float) state.discount4();
    out[i++] = (float) state.discount8();
    out[i++] = (float) state.weeksOnSale();
    out[i++] = (float) state.cumulativeUnits();
    double stock = state.stockAtOrigin();
    double cum = state.cumulativeUnits();
    out[i++] = Double.isNaN(stock) || !(cum + stock > 0) ? Float.NaN : (float) (cum / (cum + stock));
    out[i++] = (float) stock;
    out[i++] = h;
    out[i++] = (float) discount;
    out[i++] = (float) (discount - state.liveDiscount());
    LocalDate first = state.firstWeek() != null ? state.firstWeek() : state.firstSeen();
    out[i++] = first == null ? Float.NaN : ChronoUnit.WEEKS.between(first, week);
    out[i++] =
        state.exitWeek() == null ? Float.NaN : ChronoUnit.WEEKS.between(week, state.exitWeek());
    double angle = 2 * Math.PI * (week.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR) - 1) / 52.0;
    out[i++] = (float) Math.sin(angle);
    out[i++] = (float) Math.cos(angle);
    int signals = spec.weeklySignals().size();
    for (int k = 0; k < signals; k++) {
      double v = weeklySignals != null && k < weeklySignals.length ? weeklySignals[k] : 0.0;
      out[i++] = Double.isNaN(v) ? 0f : (float) v;
    }
  }

  /**
   * Rewrites, in a vector that {@link #fill} wrote at {@code offset}, only the features derived
   * from the week's discount, for {@code discount}: the result equals a fresh {@code fill} with
   * that discount.
   */
  public void setDiscount(float[] out, int offset, OriginState state, double discount) {
    out[offset + discountIndex] = (float) discount;
    out[offset + discountStepIndex] = (float) (discount - state.liveDiscount());
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
