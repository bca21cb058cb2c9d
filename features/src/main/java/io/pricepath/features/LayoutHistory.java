package io.pricepath.features;

import io.pricepath.contract.Columns;
import io.pricepath.contract.Weeks;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@linkplain FeatureBuilder#fitLayout feature layout} reads from the history, for every
 * plan week up to the end it was built for ({@link FeatureBuilder#layoutHistory}): the article
 * vocabularies, the first week of each market, and the reference-elasticity pairs summed by
 * week. The layout of a plan week is then computed here, on the driver, without Spark: several
 * trainings of one backtest build it once.
 */
public final class LayoutHistory {
  /**
   * The elasticity pairs whose later week is {@code week} (a week index) and whose discount
   * changed by {@code change / 20}: Σ units in the later and the earlier weeks, and how many.
   */
  record PairGroup(
      int week, int change, boolean sameSignals, double after, double before, long pairs) {}

  /** Least pairs of a discount change for it to count in the fit. */
  private static final int MIN_PAIRS = 20;

  private final FeatureLayout.Vocabulary category;
  private final FeatureLayout.Vocabulary brand;
  private final List<FeatureLayout.Vocabulary> categoricals;
  private final List<String> numerics;
  private final List<String> weeklySignals;
  private final Map<String, Integer> marketFirstWeek;
  private final List<PairGroup> pairs;

  LayoutHistory(
      FeatureLayout.Vocabulary category,
      FeatureLayout.Vocabulary brand,
      List<FeatureLayout.Vocabulary> categoricals,
      List<String> numerics,
      List<String> weeklySignals,
      Map<String, Integer> marketFirstWeek,
      List<PairGroup> pairs) {
    this.category = category;
    this.brand = brand;
    this.categoricals = List.copyOf(categoricals);
    this.numerics = List.copyOf(numerics);
    this.weeklySignals = List.copyOf(weeklySignals);
    this.marketFirstWeek = new TreeMap<>(marketFirstWeek);
    this.pairs = List.copyOf(pairs);
  }

  /** The layout fitted on the history before {@code planWeek}; see {@link FeatureBuilder#fitLayout}. */
  public FeatureLayout layoutAt(LocalDate planWeek) {
    int before = week(planWeek);
    List<String> markets = new ArrayList<>();
    marketFirstWeek.forEach((m, first) -> {
      if (first < before) {
        markets.add(m);
      }
    });
    return new FeatureLayout(
        new FeatureLayout.Spec(
            new FeatureLayout.Vocabulary(Columns.MARKET, markets),
            category,
            brand,
            categoricals,
            numerics,
            weeklySignals,
            referenceElasticity(planWeek)));
  }

  /** The reference elasticity of the history before {@code planWeek}; see {@link FeatureBuilder#referenceElasticity}. */
  public double referenceElasticity(LocalDate planWeek) {
    int before = week(planWeek);
    double e = fit(before, true);
    if (Double.isNaN(e) && !weeklySignals.isEmpty()) {
      e = fit(before, false);
    }
    return Double.isNaN(e) ? 0.0 : Math.max(0.0, Math.min(10.0, e));
  }

  /**
   * The weighted least-squares slope of {@code log(Σ after / Σ before)} on the discount change
   * over the pairs before week {@code before} (with the same signals only, or all); NaN when not
   * identified.
   */
  private double fit(int before, boolean sameSignalsOnly) {
    TreeMap<Integer, double[]> byChange = new TreeMap<>();
    for (PairGroup g : pairs) {
      if (g.week() < before && (g.sameSignals() || !sameSignalsOnly)) {
        double[] sums = byChange.computeIfAbsent(g.change(), k -> new double[3]);
        sums[0] += g.after();
        sums[1] += g.before();
        sums[2] += g.pairs();
      }
    }
    double sw = 0;
    double sx = 0;
    double sy = 0;
    List<double[]> points = new ArrayList<>();
    for (Map.Entry<Integer, double[]> g : byChange.entrySet()) {
      double a = g.getValue()[0];
      double b = g.getValue()[1];
      if (g.getValue()[2] < MIN_PAIRS || !(a > 0 && b > 0)) {
        continue;
      }
      double x = g.getKey() / 20.0;
      double y = Math.log(a / b);
      double w = 1 / (1 / a + 1 / b);
      points.add(new double[] {x, y, w});
      sw += w;
      sx += w * x;
      sy += w * y;
    }
    if (points.size() < 2) {
      return Double.NaN;
    }
    double mx = sx / sw;
    double my = sy / sw;
    double sxx = 0;
    double sxy = 0;
    for (double[] p : points) {
      sxx += p[2] * (p[0] - mx) * (p[0] - mx);
      sxy += p[2] * (p[0] - mx) * (p[1] - my);
    }
    return sxx > 0 ? sxy / sxx : Double.NaN;
  }

  private static int week(LocalDate date) {
    return Weeks.between(FeatureBuilder.EPOCH_MONDAY, date);
  }
}
