package io.pricepath.jobs.optimize;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.pricepath.contract.Columns;
import io.pricepath.contract.ContractTables;
import io.pricepath.jobs.config.ConfigException;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * What the season realised before the plan week, per market and category, so that the
 * horizon-wide company-wide targets hold over the season to date plus the horizon rather than over
 * each rolling horizon alone (see {@link CouplingRows#seasonToDate}).
 *
 * <p>From the {@code weekly/} rows of the weeks {@code [seasonStart, planWeek)}: the gross value
 * {@code Σ p0·s} (black price × units sold) and the markdown value {@code Σ d·p0·s}, the same
 * terms the optimizer's coupling rows are made of.
 *
 * @param seasonStart first week of the season, or null for none (nothing carried)
 * @param planWeek the plan week; the season to date ends the week before
 * @param figures {@code market|category} → {gross value, markdown value}
 */
public record SeasonToDate(LocalDate seasonStart, LocalDate planWeek, Map<String, double[]> figures)
    implements Serializable {

  public SeasonToDate {
    Objects.requireNonNull(figures, "figures");
    figures = Map.copyOf(figures);
    if (seasonStart != null && (planWeek == null || seasonStart.isAfter(planWeek))) {
      throw new ConfigException("coupling-season-start", seasonStart,
          "must be on or before the plan week (%s); empty = targets over the horizon only".formatted(planWeek));
    }
  }

  /** No season: every target holds over the horizon alone. */
  public static SeasonToDate none() {
    return new SeasonToDate(null, null, Map.of());
  }

  /**
   * The season from {@code seasonStart} up to the week before {@code planWeek}, read from {@code
   * tables}; {@link #none()} when {@code seasonStart} is null.
   *
   * @throws ConfigException when {@code seasonStart} is after {@code planWeek}
   */
  public static SeasonToDate of(ContractTables tables, LocalDate seasonStart, LocalDate planWeek) {
    if (seasonStart == null) {
      return none();
    }
    Objects.requireNonNull(planWeek, "planWeek");
    if (seasonStart.isAfter(planWeek)) {
      return new SeasonToDate(seasonStart, planWeek, Map.of()); // fails with the config key's message
    }
    Column gross = col(Columns.BLACK_PRICE).multiply(col(Columns.UNITS_SOLD));
    Map<String, double[]> figures = new TreeMap<>();
    for (Row r : tables.weekly()
        .filter(col(Columns.WEEK).geq(lit(seasonStart)).and(col(Columns.WEEK).lt(lit(planWeek))))
        .join(tables.articles().select(col(Columns.ARTICLE_ID), col(Columns.CATEGORY)), Columns.ARTICLE_ID)
        .groupBy(col(Columns.MARKET), col(Columns.CATEGORY))
        .agg(coalesce(sum(gross), lit(0.0)), coalesce(sum(gross.multiply(col(Columns.DISCOUNT))), lit(0.0)))
        .collectAsList()) {
      String category = r.isNullAt(1) ? null : r.getString(1);
      figures.put(key(r.getString(0), category), new double[] {r.getDouble(2), r.getDouble(3)});
    }
    return new SeasonToDate(seasonStart, planWeek, figures);
  }

  /** Whether a season is under way: a season start was given. */
  public boolean active() {
    return seasonStart != null;
  }

  /**
   * {gross value, markdown value} realised in {@code market} (in {@code category}, or in all its
   * categories when null) since the season start; zeros when nothing was.
   */
  public double[] realised(String market, String category) {
    double[] out = new double[2];
    figures.forEach((key, v) -> {
      int bar = key.indexOf('|');
      String m = key.substring(0, bar);
      String c = key.substring(bar + 1);
      if (m.equals(market) && (category == null || category.equals(c))) {
        out[0] += v[0];
        out[1] += v[1];
      }
    });
    return out;
  }

  static String key(String market, String category) {
    return market + "|" + (category == null ? "" : category);
  }
}
