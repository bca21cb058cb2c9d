package io.pricepath.features;

import io.pricepath.contract.Columns;
import io.pricepath.contract.Weeks;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Reads {@link OriginState}s and weekly signals from the rows that {@link FeatureBuilder} builds
 * (training samples and scoring inputs). Column positions are resolved once from the schema;
 * columns the schema lacks read as unknown. Serializable, for use inside partitions.
 */
public final class OriginStateReader implements Serializable {
  private static final long serialVersionUID = 1L;

  private final FeatureLayout layout;
  private final int articleId;
  private final int market;
  private final int category;
  private final int brand;
  private final int[] categoricals;
  private final int[] numerics;
  private final int[] signals;
  private final int unitCost;
  private final int firstWeek;
  private final int exitWeek;
  private final int blackPrice;
  private final int units1;
  private final int units4;
  private final int units8;
  private final int liveDiscount;
  private final int discount4;
  private final int discount8;
  private final int weeksOnSale;
  private final int cumulativeUnits;
  private final int stock;
  private final int firstSeen;
  private final int futureSignals;
  private final int recent;
  private final int launchPriorBrand;
  private final int launchPriorCategory;
  private final int returnSold;
  private final int returned;
  private final int returnWeeks;
  private final int returnSoldDiscount;
  private final int returnCategoryRatio;
  private final int returnCategoryDiscount;
  private final int seasonRatios;

  /** A reader of rows with {@code schema}, encoding for {@code layout}. */
  public OriginStateReader(StructType schema, FeatureLayout layout) {
    this.layout = Objects.requireNonNull(layout, "layout");
    List<String> names = List.of(schema.fieldNames());
    this.articleId = required(names, Columns.ARTICLE_ID);
    this.market = required(names, Columns.MARKET);
    this.category = names.indexOf(Columns.CATEGORY);
    this.brand = names.indexOf(Columns.BRAND);
    FeatureLayout.Spec spec = layout.spec();
    this.categoricals =
        spec.categoricals().stream().mapToInt(v -> names.indexOf(v.column())).toArray();
    this.numerics = spec.numerics().stream().mapToInt(names::indexOf).toArray();
    this.signals =
        spec.weeklySignals().stream()
            .mapToInt(s -> names.indexOf(FeatureBuilder.SIGNAL_PREFIX + s))
            .toArray();
    this.unitCost = names.indexOf(Columns.UNIT_COST);
    this.firstWeek = names.indexOf(Columns.FIRST_WEEK);
    this.exitWeek = names.indexOf(Columns.EXIT_WEEK);
    this.blackPrice = names.indexOf(FeatureBuilder.ORIGIN_BLACK_PRICE);
    this.units1 = names.indexOf(FeatureBuilder.UNITS_1);
    this.units4 = names.indexOf(FeatureBuilder.UNITS_4);
    this.units8 = names.indexOf(FeatureBuilder.UNITS_8);
    this.liveDiscount = names.indexOf(FeatureBuilder.LIVE_DISCOUNT);
    this.discount4 = names.indexOf(FeatureBuilder.DISCOUNT_4);
    this.discount8 = names.indexOf(FeatureBuilder.DISCOUNT_8);
    this.weeksOnSale = names.indexOf(FeatureBuilder.WEEKS_ON_SALE);
    this.cumulativeUnits = names.indexOf(FeatureBuilder.CUMULATIVE_UNITS);
    this.stock = names.indexOf(FeatureBuilder.STOCK_AT_ORIGIN);
    this.firstSeen = names.indexOf(FeatureBuilder.FIRST_SEEN);
    this.futureSignals = names.indexOf(FeatureBuilder.FUTURE_SIGNALS);
    this.recent = names.indexOf(FeatureBuilder.RECENT);
    this.launchPriorBrand = names.indexOf(FeatureBuilder.LAUNCH_PRIOR_BRAND);
    this.launchPriorCategory = names.indexOf(FeatureBuilder.LAUNCH_PRIOR_CATEGORY);
    this.returnSold = names.indexOf(FeatureBuilder.RETURN_SOLD);
    this.returned = names.indexOf(FeatureBuilder.RETURN_RETURNED);
    this.returnWeeks = names.indexOf(FeatureBuilder.RETURN_WEEKS_SUM);
    this.returnSoldDiscount = names.indexOf(FeatureBuilder.RETURN_SOLD_DISCOUNT);
    this.returnCategoryRatio = names.indexOf(FeatureBuilder.RETURN_CATEGORY_RATIO);
    this.returnCategoryDiscount = names.indexOf(FeatureBuilder.RETURN_CATEGORY_DISCOUNT);
    this.seasonRatios = names.indexOf(FeatureBuilder.SEASON_RATIOS);
  }

  private static int required(List<String> names, String column) {
    int i = names.indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException(
          "Cannot read origin states: column %s is missing (columns: %s)".formatted(column, names));
    }
    return i;
  }

  /** The layout this reader encodes for. */
  public FeatureLayout layout() {
    return layout;
  }

  /** The origin state of {@code row}. */
  public OriginState state(Row row) {
    String[] cat = new String[categoricals.length];
    for (int k = 0; k < cat.length; k++) {
      cat[k] = string(row, categoricals[k]);
    }
    double[] num = new double[numerics.length];
    for (int k = 0; k < num.length; k++) {
      num[k] = number(row, numerics[k]);
    }
    double weeks = number(row, weeksOnSale);
    double cumulative = number(row, cumulativeUnits);
    int n = FeatureLayout.RECENT_WEEKS;
    double[] units = new double[n];
    double[] discounts = new double[n];
    double[] censored = new double[n];
    double[] plain = new double[n];
    double[][] signals = new double[n][];
    double[] blackPrices = new double[n];
    java.util.Arrays.fill(blackPrices, Double.NaN);
    double[] stocks = new double[n];
    java.util.Arrays.fill(stocks, Double.NaN);
    double[] costs = new double[n];
    java.util.Arrays.fill(costs, Double.NaN);
    java.util.Arrays.fill(plain, 1);
    java.util.Arrays.fill(units, Double.NaN);
    java.util.Arrays.fill(discounts, Double.NaN);
    if (recent >= 0 && !row.isNullAt(recent)) {
      List<Row> weeksBack = row.getList(recent);
      for (Row w : weeksBack) {
        int back = ((Number) w.get(0)).intValue();
        if (back >= 0 && back < n && !w.isNullAt(1)) {
          units[back] = ((Number) w.get(1)).doubleValue();
          discounts[back] = w.isNullAt(2) ? Double.NaN : ((Number) w.get(2)).doubleValue();
          censored[back] = !w.isNullAt(3) && w.getBoolean(3) ? 1 : 0;
          plain[back] = w.size() > 4 && !w.isNullAt(4) && !w.getBoolean(4) ? 0 : 1;
          if (w.size() > 5 && !w.isNullAt(5)) {
            List<Object> values = w.getList(5);
            signals[back] = new double[values.size()];
            for (int k = 0; k < values.size(); k++) {
              Object v = values.get(k);
              signals[back][k] = v == null ? 0 : ((Number) v).doubleValue();
            }
          }
          if (w.size() > 6 && !w.isNullAt(6)) {
            blackPrices[back] = ((Number) w.get(6)).doubleValue();
          }
          if (w.size() > 7 && !w.isNullAt(7)) {
            stocks[back] = ((Number) w.get(7)).doubleValue();
          }
          if (w.size() > 8 && !w.isNullAt(8)) {
            costs[back] = ((Number) w.get(8)).doubleValue();
          }
        }
      }
    }
    return new OriginState(
        row.getString(articleId),
        row.getString(market),
        string(row, category),
        string(row, brand),
        cat,
        num,
        number(row, unitCost),
        date(row, firstWeek),
        date(row, exitWeek),
        number(row, blackPrice),
        number(row, units1),
        number(row, units4),
        number(row, units8),
        number(row, liveDiscount),
        number(row, discount4),
        number(row, discount8),
        Double.isNaN(weeks) ? 0 : weeks,
        Double.isNaN(cumulative) ? 0 : cumulative,
        number(row, stock),
        date(row, firstSeen),
        new OriginState.RecentWeeks(
            units, discounts, censored, plain, signals, blackPrices, stocks, costs),
        new OriginState.LaunchPriors(
            number(row, launchPriorBrand), number(row, launchPriorCategory)),
        new OriginState.ReturnHistory(
            zeroIfUnknown(number(row, returnSold)),
            zeroIfUnknown(number(row, returned)),
            zeroIfUnknown(number(row, returnWeeks)),
            zeroIfUnknown(number(row, returnSoldDiscount)),
            number(row, returnCategoryRatio),
            number(row, returnCategoryDiscount)),
        seasonRatios(row));
  }

  /** The {@code season_ratios} map of {@code row} as an array by {@code h − 1} (NaN gaps). */
  private double[] seasonRatios(Row row) {
    if (seasonRatios < 0 || row.isNullAt(seasonRatios)) {
      return new double[0];
    }
    Map<Object, Object> byWeek = row.getJavaMap(seasonRatios);
    int n = 0;
    for (Object h : byWeek.keySet()) {
      n = Math.max(n, ((Number) h).intValue());
    }
    double[] out = new double[n];
    java.util.Arrays.fill(out, Double.NaN);
    for (Map.Entry<Object, Object> e : byWeek.entrySet()) {
      int h = ((Number) e.getKey()).intValue();
      if (h >= 1 && e.getValue() != null) {
        out[h - 1] = ((Number) e.getValue()).doubleValue();
      }
    }
    return out;
  }

  /** The weekly signals of a training sample's target week (its {@code signal_x_*} columns). */
  public double[] sampleSignals(Row row) {
    double[] out = new double[signals.length];
    for (int k = 0; k < out.length; k++) {
      double v = number(row, signals[k]);
      out[k] = Double.isNaN(v) ? 0 : v;
    }
    return out;
  }

  /**
   * The weekly signals of horizon week {@code h} of a scoring input (its {@code future_signals}
   * map), zeros when the dataset does not supply them.
   */
  public double[] futureSignals(Row row, int h) {
    double[] out = new double[signals.length];
    if (futureSignals < 0 || row.isNullAt(futureSignals)) {
      return out;
    }
    Map<Object, Object> byWeek = row.getJavaMap(futureSignals);
    Object values = byWeek.get(h);
    if (values instanceof scala.collection.Seq<?> seq) {
      for (int k = 0; k < out.length && k < seq.size(); k++) {
        Object v = seq.apply(k);
        out[k] = v == null ? 0 : ((Number) v).doubleValue();
      }
    }
    return out;
  }

  private static double zeroIfUnknown(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  static double number(Row row, int index) {
    if (index < 0 || row.isNullAt(index)) {
      return Double.NaN;
    }
    return ((Number) row.get(index)).doubleValue();
  }

  private static String string(Row row, int index) {
    return index < 0 || row.isNullAt(index) ? null : row.get(index).toString();
  }

  private static LocalDate date(Row row, int index) {
    return index < 0 ? null : Weeks.toLocalDate(row.get(index));
  }
}
