package io.pricepath.jobs.optimize;

import io.pricepath.contract.Columns;
import io.pricepath.features.PlanState;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The returns still to come from sales before the plan week, by week of the horizon: what the
 * plan's stock gets back besides the returns of its own sales ({@code ArticleProblem.incoming}).
 *
 * <p>For a sale week {@code a} weeks before the plan week that sold {@code u} units at discount
 * {@code d}, of which {@code R} came back before the plan week: each of the {@code u − R} units not
 * back yet returns after lag {@code l ≥ a} with probability {@code ρ·P(l) / (1 − ρ·P(L < a))},
 * where {@code ρ} is the forecast return rate at {@code d} (the plan week's, at the nearest ladder
 * level) and {@code P} the market's lag distribution ({@link PlanState#RETURN_LAGS}). Lag {@code l}
 * arrives in horizon week {@code l − a}.
 */
final class PendingReturns {
  private PendingReturns() {}

  /** The rate of week 0 at a ladder level: the forecast grid's return rate. */
  interface Rate {
    double at(int level);
  }

  /**
   * Expected units coming back in each of the {@code weeks} horizon weeks; zeros when {@code sales}
   * or {@code lags} is null (no {@code returns/} table).
   *
   * @param sales {@link PlanState#RECENT_SALES}: structs of weeks before, discount, units, returned
   * @param lags {@link PlanState#RETURN_LAGS}: share of returned units by lag in weeks
   * @param ladder the run's discount ladder, ascending
   */
  static double[] incoming(List<Row> sales, List<Double> lags, double[] ladder, Rate rate, int weeks) {
    double[] incoming = new double[weeks];
    if (sales == null || lags == null) {
      return incoming;
    }
    for (Row sale : sales) {
      int before = sale.<Integer>getAs(PlanState.WEEKS_BEFORE);
      double units = sale.<Double>getAs(Columns.UNITS);
      double back = sale.<Double>getAs(PlanState.RETURNED);
      double waiting = units - back;
      if (before < 1 || before >= lags.size() || !(waiting > 0)) {
        continue;
      }
      double r = Math.max(0, Math.min(1, rate.at(nearest(ladder, sale.<Double>getAs(Columns.DISCOUNT)))));
      double past = 0;
      for (int l = 0; l < before; l++) {
        past += lags.get(l);
      }
      double stillOut = 1 - r * past;
      if (!(stillOut > 1e-12)) {
        continue;
      }
      for (int l = before; l < lags.size() && l - before < weeks; l++) {
        incoming[l - before] += waiting * r * lags.get(l) / stillOut;
      }
    }
    return incoming;
  }

  /** The ladder level nearest {@code discount} (the lower one on ties). */
  static int nearest(double[] ladder, double discount) {
    int best = 0;
    for (int k = 1; k < ladder.length; k++) {
      if (Math.abs(ladder[k] - discount) < Math.abs(ladder[best] - discount) - 1e-12) {
        best = k;
      }
    }
    return best;
  }
}
