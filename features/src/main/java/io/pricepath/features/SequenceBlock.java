package io.pricepath.features;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The week-by-week history of an (article, market) before the origin, as the last block of a
 * {@link FeatureLayout}'s vector: what a sequence model (the transformer forecaster) reads, where
 * trees read the summaries of the origin block. {@code weeks} weeks, oldest first, each with the
 * same {@link #channels()} values:
 *
 * <ol>
 *   <li>{@code units}: {@code log(1 + units · exp(−E · discount))}, the week's de-discounted units
 *       (E the layout's reference elasticity), 0 without a row;
 *   <li>{@code discount}: the week's discount, 0 without a row;
 *   <li>{@code sold_out}: 1 when the week sold out (its units are a lower bound of demand);
 *   <li>{@code known}: 1 when the week has a row with units;
 *   <li>{@code price}: log of the week's black price over the origin's, 0 where either is unknown;
 *   <li>{@code stock}: {@code log(1 + stock on hand)} at the start of the week, 0 where unknown;
 *   <li>{@code stock_known}: 1 when the week's stock is known;
 *   <li>{@code week_sin}, {@code week_cos}: the week's ISO week of the year on the unit circle
 *       (set for every week, with a row or without);
 *   <li>one value per weekly {@code x_*} signal, 0 when not set.
 * </ol>
 *
 * Nothing is missing ({@code NaN}) in the block: a week without a row reads as zeros with {@code
 * known} = 0 (but for its week of the year), so the block can go into a network as it is.
 */
public final class SequenceBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Channels before the signals. */
  public static final List<String> CHANNELS =
      List.of("units", "discount", "sold_out", "known", "price", "stock", "stock_known",
          "week_sin", "week_cos");

  /** Index of the units channel in a week. */
  public static final int UNITS = 0;

  /** Index of the discount channel in a week. */
  public static final int DISCOUNT = 1;

  /** Index of the known channel in a week. */
  public static final int KNOWN = 3;

  /** Index of the stock channel in a week. */
  public static final int STOCK = 5;

  /** Index of the stock-known channel in a week. */
  public static final int STOCK_KNOWN = 6;

  private final int weeks;
  private final int signals;
  private final double elasticity;

  SequenceBlock(int weeks, List<String> weeklySignals, double referenceElasticity) {
    if (weeks < 0 || weeks > FeatureLayout.RECENT_WEEKS) {
      throw new IllegalArgumentException(
          "Cannot build a feature layout: the sequence must be 0 to %d weeks long (%d)"
              .formatted(FeatureLayout.RECENT_WEEKS, weeks));
    }
    this.weeks = weeks;
    this.signals = weeklySignals.size();
    this.elasticity = referenceElasticity;
  }

  /** Weeks in the block (0: no block). */
  public int weeks() {
    return weeks;
  }

  /** Values per week. */
  public int channels() {
    return CHANNELS.size() + signals;
  }

  /** Width of the block: {@code weeks × channels}. */
  public int width() {
    return weeks * channels();
  }

  /** Feature names, {@code seq:<weeks back>:<channel>}, oldest week first. */
  List<String> names(List<String> weeklySignals) {
    List<String> n = new ArrayList<>();
    for (int t = 0; t < weeks; t++) {
      int back = weeks - t;
      for (String c : CHANNELS) {
        n.add("seq:" + back + ":" + c);
      }
      for (String x : weeklySignals) {
        n.add("seq:" + back + ":" + x);
      }
    }
    return n;
  }

  /**
   * Writes the block of {@code state} at {@code origin} into {@code out[offset .. offset +
   * width)}.
   */
  void fill(float[] out, int offset, OriginState state, java.time.LocalDate origin) {
    OriginState.RecentWeeks recent = state.recent();
    double originPrice = state.blackPrice();
    int c = channels();
    for (int t = 0; t < weeks; t++) {
      int back = weeks - 1 - t; // index into the recent weeks: 0 = the week right before the origin
      int i = offset + t * c;
      java.util.Arrays.fill(out, i, i + c, 0f);
      double angle =
          2 * Math.PI
              * (origin.minusWeeks(back + 1L).get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR) - 1)
              / 52.0;
      out[i + 7] = (float) Math.sin(angle);
      out[i + 8] = (float) Math.cos(angle);
      double units = back < recent.units().length ? recent.units()[back] : Double.NaN;
      if (Double.isNaN(units)) {
        continue;
      }
      double d = back < recent.discounts().length ? recent.discounts()[back] : Double.NaN;
      d = Double.isNaN(d) ? 0 : d;
      out[i + UNITS] = (float) StrictMath.log1p(Math.max(0, units) * StrictMath.exp(-elasticity * d));
      out[i + DISCOUNT] = (float) d;
      out[i + 2] = back < recent.censored().length && recent.censored()[back] > 0 ? 1f : 0f;
      out[i + KNOWN] = 1f;
      double price = recent.blackPrice(back);
      out[i + 4] =
          price > 0 && originPrice > 0 ? (float) StrictMath.log(price / originPrice) : 0f;
      double stock = recent.stock(back);
      if (!Double.isNaN(stock)) {
        out[i + STOCK] = (float) StrictMath.log1p(Math.max(0, stock));
        out[i + STOCK_KNOWN] = 1f;
      }
      if (back < recent.signals().length) {
        double[] s = recent.signals()[back];
        for (int k = 0; k < signals && s != null && k < s.length; k++) {
          out[i + CHANNELS.size() + k] = Double.isNaN(s[k]) ? 0f : (float) s[k];
        }
      }
    }
  }
}
