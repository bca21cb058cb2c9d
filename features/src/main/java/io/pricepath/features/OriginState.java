package io.pricepath.features;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What is known about one (article, market) at a forecast origin: its attributes and a summary of
 * its weekly rows strictly before the origin. Unknown numbers are {@code NaN}, unknown dates
 * {@code null}. Arrays follow the order of the {@link FeatureLayout} that built the state.
 *
 * @param articleId article key
 * @param market market key
 * @param category merchandise group, or null
 * @param brand brand, or null
 * @param categoricals values of the layout's {@code c_*} attributes (null when unknown)
 * @param numerics values of the layout's article {@code x_*} attributes ({@code NaN} when unknown)
 * @param unitCost purchase cost per unit
 * @param firstWeek first week on sale (articles table)
 * @param exitWeek last week on sale (articles table)
 * @param blackPrice last known black price before the origin
 * @param units1 mean units sold in the last week before the origin
 * @param units4 mean units sold over the last 4 weeks (uncensored weeks when there are any)
 * @param units8 mean units sold over the last 8 weeks (uncensored weeks when there are any)
 * @param liveDiscount discount of the last week before the origin
 * @param discount4 mean discount over the last 4 weeks
 * @param discount8 mean discount over the last 8 weeks
 * @param weeksOnSale number of weekly rows before the origin
 * @param cumulativeUnits units sold before the origin
 * @param stockAtOrigin last known stock on hand minus that week's sales, floored at 0
 * @param firstSeen first week with a weekly row, or null when there is none before the origin
 * @param recentUnits units sold in each of the last {@link FeatureLayout#RECENT_WEEKS} weeks
 *     before the origin, index 0 the week right before it; {@code NaN} for a week without a row
 *     (empty when unknown)
 * @param recentDiscounts the discounts of those weeks ({@code NaN} without a row)
 * @param recentCensored 1 for those weeks that sold out (units are a lower bound of demand), else
 *     0
 * @param recentPlain 1 for those weeks without any weekly {@code x_*} signal (no promotion or
 *     other event flagged), 0 for a week with one (empty: every week counts as plain)
 * @param launchPriorBrand mean units of the first weeks of the articles of the same market,
 *     category and brand launched before the origin ({@code NaN} when none)
 * @param launchPriorCategory the same over the same market and category ({@code NaN} when none)
 */
public record OriginState(
    String articleId,
    String market,
    String category,
    String brand,
    String[] categoricals,
    double[] numerics,
    double unitCost,
    LocalDate firstWeek,
    LocalDate exitWeek,
    double blackPrice,
    double units1,
    double units4,
    double units8,
    double liveDiscount,
    double discount4,
    double discount8,
    double weeksOnSale,
    double cumulativeUnits,
    double stockAtOrigin,
    LocalDate firstSeen,
    double[] recentUnits,
    double[] recentDiscounts,
    double[] recentCensored,
    double[] recentPlain,
    double launchPriorBrand,
    double launchPriorCategory)
    implements Serializable {

  public OriginState {
    Objects.requireNonNull(articleId, "articleId");
    Objects.requireNonNull(market, "market");
    Objects.requireNonNull(categoricals, "categoricals");
    Objects.requireNonNull(numerics, "numerics");
    Objects.requireNonNull(recentUnits, "recentUnits");
    Objects.requireNonNull(recentDiscounts, "recentDiscounts");
    Objects.requireNonNull(recentCensored, "recentCensored");
    Objects.requireNonNull(recentPlain, "recentPlain");
  }

  /** A state without launch priors. */
  public OriginState(
      String articleId,
      String market,
      String category,
      String brand,
      String[] categoricals,
      double[] numerics,
      double unitCost,
      LocalDate firstWeek,
      LocalDate exitWeek,
      double blackPrice,
      double units1,
      double units4,
      double units8,
      double liveDiscount,
      double discount4,
      double discount8,
      double weeksOnSale,
      double cumulativeUnits,
      double stockAtOrigin,
      LocalDate firstSeen,
      double[] recentUnits,
      double[] recentDiscounts,
      double[] recentCensored,
      double[] recentPlain) {
    this(
        articleId, market, category, brand, categoricals, numerics, unitCost, firstWeek, exitWeek,
        blackPrice, units1, units4, units8, liveDiscount, discount4, discount8, weeksOnSale,
        cumulativeUnits, stockAtOrigin, firstSeen, recentUnits, recentDiscounts, recentCensored,
        recentPlain, Double.NaN, Double.NaN);
  }

  /** A state whose recent weeks carry no weekly signal (every one of them plain). */
  public OriginState(
      String articleId,
      String market,
      String category,
      String brand,
      String[] categoricals,
      double[] numerics,
      double unitCost,
      LocalDate firstWeek,
      LocalDate exitWeek,
      double blackPrice,
      double units1,
      double units4,
      double units8,
      double liveDiscount,
      double discount4,
      double discount8,
      double weeksOnSale,
      double cumulativeUnits,
      double stockAtOrigin,
      LocalDate firstSeen,
      double[] recentUnits,
      double[] recentDiscounts,
      double[] recentCensored) {
    this(
        articleId, market, category, brand, categoricals, numerics, unitCost, firstWeek, exitWeek,
        blackPrice, units1, units4, units8, liveDiscount, discount4, discount8, weeksOnSale,
        cumulativeUnits, stockAtOrigin, firstSeen, recentUnits, recentDiscounts, recentCensored,
        new double[0]);
  }

  /** A state without its week-by-week recent history (its de-discounted levels are unknown). */
  public OriginState(
      String articleId,
      String market,
      String category,
      String brand,
      String[] categoricals,
      double[] numerics,
      double unitCost,
      LocalDate firstWeek,
      LocalDate exitWeek,
      double blackPrice,
      double units1,
      double units4,
      double units8,
      double liveDiscount,
      double discount4,
      double discount8,
      double weeksOnSale,
      double cumulativeUnits,
      double stockAtOrigin,
      LocalDate firstSeen) {
    this(
        articleId, market, category, brand, categoricals, numerics, unitCost, firstWeek, exitWeek,
        blackPrice, units1, units4, units8, liveDiscount, discount4, discount8, weeksOnSale,
        cumulativeUnits, stockAtOrigin, firstSeen, new double[0], new double[0], new double[0],
        new double[0]);
  }
}
