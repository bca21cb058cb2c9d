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
 * @param recent the week-by-week rows of the last {@link FeatureLayout#RECENT_WEEKS} weeks
 *     ({@link RecentWeeks#NONE} when unknown)
 * @param launch how articles like this one sold in their first weeks ({@link LaunchPriors#NONE}
 *     when unknown)
 * @param returns the returns of this (article, market)'s matured sales ({@link
 *     ReturnHistory#NONE} when unknown)
 * @param seasonRatios the category season ratio of each horizon week, index {@code h − 1} (see
 *     {@link FeatureBuilder#SEASON_RATIOS}; {@code NaN} or missing when unknown)
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
    RecentWeeks recent,
    LaunchPriors launch,
    ReturnHistory returns,
    double[] seasonRatios)
    implements Serializable {

  public OriginState {
    Objects.requireNonNull(articleId, "articleId");
    Objects.requireNonNull(market, "market");
    Objects.requireNonNull(categoricals, "categoricals");
    Objects.requireNonNull(numerics, "numerics");
    Objects.requireNonNull(recent, "recent");
    Objects.requireNonNull(launch, "launch");
    Objects.requireNonNull(returns, "returns");
    Objects.requireNonNull(seasonRatios, "seasonRatios");
  }

  /**
   * The category season ratio of horizon week {@code h} (see {@link
   * FeatureBuilder#SEASON_RATIOS}), {@code NaN} when unknown.
   */
  public double seasonRatio(int h) {
    return h >= 1 && h <= seasonRatios.length ? seasonRatios[h - 1] : Double.NaN;
  }

  /**
   * The rows of the last {@link FeatureLayout#RECENT_WEEKS} weeks before the origin, index 0 the
   * week right before it.
   *
   * @param units units sold in each week ({@code NaN} for a week without a row)
   * @param discounts the discounts of those weeks ({@code NaN} without a row)
   * @param censored 1 for those weeks that sold out (units are a lower bound of demand), else 0
   * @param plain 1 for those weeks without any weekly {@code x_*} signal (no promotion or other
   *     event flagged), 0 for a week with one (empty: every week counts as plain)
   * @param signals the weekly {@code x_*} signals of those weeks, {@code signals[back][k]} in the
   *     layout's signal order (0 when not set; empty: none known)
   * @param blackPrices the black prices of those weeks ({@code NaN} without a row; empty: none
   *     known)
   * @param stocks the stock on hand at the start of those weeks ({@code NaN} where unknown;
   *     empty: none known)
   * @param costs the fulfillment cost of those weeks ({@code NaN} where unknown; empty: none
   *     known)
   */
  public record RecentWeeks(
      double[] units, double[] discounts, double[] censored, double[] plain, double[][] signals,
      double[] blackPrices, double[] stocks, double[] costs)
      implements Serializable {
    /** No week-by-week history: the de-discounted levels are unknown. */
    public static final RecentWeeks NONE =
        new RecentWeeks(new double[0], new double[0], new double[0], new double[0]);

    public RecentWeeks {
      Objects.requireNonNull(units, "units");
      Objects.requireNonNull(discounts, "discounts");
      Objects.requireNonNull(censored, "censored");
      Objects.requireNonNull(plain, "plain");
      Objects.requireNonNull(signals, "signals");
      Objects.requireNonNull(blackPrices, "blackPrices");
      Objects.requireNonNull(stocks, "stocks");
      Objects.requireNonNull(costs, "costs");
    }

    /** Weeks with their stock, without their fulfillment costs. */
    public RecentWeeks(
        double[] units, double[] discounts, double[] censored, double[] plain, double[][] signals,
        double[] blackPrices, double[] stocks) {
      this(units, discounts, censored, plain, signals, blackPrices, stocks, new double[0]);
    }

    /** Weeks with their signal values and black prices, without their stock. */
    public RecentWeeks(
        double[] units, double[] discounts, double[] censored, double[] plain, double[][] signals,
        double[] blackPrices) {
      this(units, discounts, censored, plain, signals, blackPrices, new double[0]);
    }

    /** Weeks with their signal values but without their black prices. */
    public RecentWeeks(
        double[] units, double[] discounts, double[] censored, double[] plain, double[][] signals) {
      this(units, discounts, censored, plain, signals, new double[0]);
    }

    /** The black price {@code back} weeks before the origin; {@code NaN} where unknown. */
    public double blackPrice(int back) {
      return back < blackPrices.length ? blackPrices[back] : Double.NaN;
    }

    /** The stock on hand {@code back} weeks before the origin; {@code NaN} where unknown. */
    public double stock(int back) {
      return back < stocks.length ? stocks[back] : Double.NaN;
    }

    /**
     * The fulfillment cost per unit sold over the weeks with sales and a known cost: {@code Σ
     * cost ÷ Σ units}; {@code NaN} when no such week is known.
     */
    public double costPerUnit() {
      double cost = 0;
      double sold = 0;
      for (int back = 0; back < costs.length && back < units.length; back++) {
        if (!Double.isNaN(costs[back]) && units[back] > 0) {
          cost += costs[back];
          sold += units[back];
        }
      }
      return sold > 0 ? cost / sold : Double.NaN;
    }

    /** Weeks without their signal values. */
    public RecentWeeks(double[] units, double[] discounts, double[] censored, double[] plain) {
      this(units, discounts, censored, plain, new double[0][], new double[0]);
    }
  }

  /**
   * Launch priors (see {@link FeatureBuilder#LAUNCH_PRIOR_BRAND}).
   *
   * @param brand mean units of the first weeks of the articles of the same market, category and
   *     brand launched before the origin ({@code NaN} when none)
   * @param category the same over the same market and category ({@code NaN} when none)
   */
  public record LaunchPriors(double brand, double category) implements Serializable {
    /** No launch prior known. */
    public static final LaunchPriors NONE = new LaunchPriors(Double.NaN, Double.NaN);
  }

  /**
   * The returns of an (article, market)'s matured sales: sale weeks at least {@link
   * FeatureBuilder#RETURN_HISTORY_LAG} weeks before the origin, and their returns that came back
   * before it (see {@link FeatureBuilder#RETURN_SOLD}).
   *
   * @param sold units sold in those weeks (0 when none)
   * @param returned units of them returned before the origin
   * @param returnWeeks sum over those returned units of (return week − sale week), in weeks
   * @param soldDiscount sum over those sold units of their week's discount
   * @param categoryRatio returned ÷ sold over every article of the same market and category, the
   *     prior the own ratio is shrunk to ({@code NaN} when unknown)
   * @param categoryDiscount the units-weighted mean discount of those sales of the category
   *     ({@code NaN} when unknown)
   */
  public record ReturnHistory(
      double sold,
      double returned,
      double returnWeeks,
      double soldDiscount,
      double categoryRatio,
      double categoryDiscount)
      implements Serializable {
    /** No returns known (no {@code returns/} table, or no matured sales). */
    public static final ReturnHistory NONE = new ReturnHistory(0, 0, 0, 0, Double.NaN, Double.NaN);
  }
}
