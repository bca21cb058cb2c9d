package io.pricepath.forecast.train;

import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.model.BaseLevel;
import io.pricepath.forecast.model.DiscountResponse;
import io.pricepath.forecast.model.PowerTerm;
import io.pricepath.forecast.model.MarginTerm;
import io.pricepath.forecast.model.MarginTerms;
import io.pricepath.forecast.model.SeasonTerm;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The demand model's fit: level trees ({@code count:poisson}) on top of margin terms — the base
 * level, the discount response, the season term and the level blend — in alternating passes:
 * the terms are fitted first on the base level alone, then after each pass of trees with the
 * trees as offset. The trees read neither the week's discount and price nor the base level's
 * discount: the response alone answers for them, so demand is non-decreasing in the discount.
 */
final class DemandFit {
  /** Alternating passes of trees and terms. */
  static final int PASSES = 1;

  /** Terms refitted after each pass, in this order (each with the others as offset). */
  private static final List<String> FITTED =
      List.of("response", "season", "level", "own_level", "own_signal");

  private final FeatureLayout layout;
  private final ForecastSettings settings;

  DemandFit(FeatureLayout layout, ForecastSettings settings) {
    this.layout = layout;
    this.settings = settings;
  }

  /**
   * A booster, its margin terms and its best iteration (the last one without early stopping);
   * {@code treeMargins}, where known, its trees' margins on every row of the training set.
   */
  record Staged(byte[] bytes, int bestIteration, MarginTerms terms, double[] treeMargins) {}

  /** The margin terms before any fit: slopes at the reference elasticity, no season, no blend. */
  MarginTerms startTerms() {
    double e = layout.spec().referenceElasticity();
    int categories = layout.spec().category().values().size();
    double[] start = new double[categories];
    Arrays.fill(start, e);
    int ownSlope = layout.names().indexOf(FeatureLayout.OWN_SLOPE);
    int ownVariance = layout.names().indexOf(FeatureLayout.OWN_SLOPE_VARIANCE);
    List<MarginTerm> terms = new ArrayList<>();
    terms.add(new BaseLevel(layout.baseLevelIndex()));
    terms.add(
        new DiscountResponse(
            layout.discountIndex(), layout.baseDiscountIndex(), e, layout.categoryIndex(), start,
            e, ownSlope, ownSlope < 0 ? -1 : ownVariance, 0));
    terms.add(new SeasonTerm(layout.names().indexOf(FeatureLayout.SEASON_RATIO), 0));
    terms.add(
        PowerTerm.level(
            layout.names().indexOf(FeatureLayout.SMOOTH_RATIO), layout.categoryIndex(),
            new double[categories], 0));
    int ownLevel = layout.names().indexOf(FeatureLayout.OWN_LEVEL_RATIO);
    if (ownLevel >= 0) {
      terms.add(new PowerTerm("own_level", ownLevel, layout.categoryIndex(),
          new double[categories], 0, 1));
    }
    int ownSignal = layout.names().indexOf(FeatureLayout.OWN_SIGNAL_RATIO);
    if (ownSignal >= 0 && !layout.spec().weeklySignals().isEmpty()) {
      terms.add(new PowerTerm("own_signal", ownSignal, layout.categoryIndex(),
          new double[categories], 0, 2));
    }
    return MarginTerms.of(terms);
  }

  /**
   * Features the level trees do not read: the week's discount features, the base discount and
   * the cost features.
   */
  int[] hidden() {
    return IntStream.concat(
            IntStream.concat(
                layout.discountFeatures().stream().mapToInt(n -> layout.names().indexOf(n)),
                IntStream.of(layout.baseDiscountIndex())),
            layout.costFeatures().stream().mapToInt(n -> layout.names().indexOf(n)))
        .distinct()
        .toArray();
  }

  /**
   * Trains the trees on {@code train} ({@code rounds}, or at most that many with early stopping
   * on {@code eval} when it is not null) and the terms, in {@link #PASSES} alternating passes;
   * the fits' diagnostics go into {@code diagnostics}.
   */
  Staged staged(
      TrainingSet set, Boosting boosting, Subset train, Subset eval, int rounds,
      Map<String, Double> diagnostics) {
    TrainingRows all = set.rows(Subset.ALL);
    TrainingRows points = set.rows(train);
    MarginTerms terms = firstTerms(points, diagnostics);
    Boosting.Boosted trees = null;
    double[] allMargins = null;
    for (int pass = 0; pass < PASSES; pass++) {
      trees =
          boosting.boost(
              set, train, eval,
              new Boosting.Job("count:poisson", rounds, null, hidden(), terms, 1.0));
      // The trees score every row once a pass (the final fit on every row reads them too);
      // every term's fit reads the margins of its points.
      allMargins = LocalBoosting.treeMargins(trees.bytes(), all);
      double[] margins = allMargins;
      double[] treeMargins = train.equals(Subset.ALL)
          ? margins
          : IntStream.range(0, all.size())
              .filter(i -> train.test(all, i))
              .mapToDouble(i -> margins[i])
              .toArray();
      terms = TermSweep.sweep(terms, FITTED, points, treeMargins, diagnostics);
    }
    return new Staged(trees.bytes(), trees.bestIteration(), terms, allMargins);
  }

  /**
   * The terms before any trees: the season and level terms fitted on the base level and the
   * response alone, so that the first trees already see last year's turn in their margin.
   */
  private MarginTerms firstTerms(TrainingRows points, Map<String, Double> diagnostics) {
    return TermSweep.sweep(
        startTerms(), List.of("season", "level", "own_level", "own_signal"), points,
        new double[points.size()], diagnostics);
  }

  /**
   * The final model from the early-stopped one of the holdout: its trees, trained on the weeks
   * before the holdout, and its terms refitted on every row with the trees as offset, so that the
   * last weeks still move the level, the slopes and the lifts; where the holdout kept no trees
   * ({@code bestIteration < 0}), the terms alone fitted on every row. One booster training in all.
   */
  Staged onAllRows(
      TrainingSet set, Boosting boosting, Staged holdout, Map<String, Double> diagnostics) {
    TrainingRows points = set.rows(Subset.ALL);
    if (holdout.bestIteration() < 0) {
      MarginTerms terms =
          TermSweep.sweep(
              firstTerms(points, diagnostics), FITTED, points, new double[points.size()],
              diagnostics);
      byte[] none =
          boosting.boost(set, Subset.ALL, null,
              new Boosting.Job("count:poisson", 0, null, hidden(), terms, 1.0)).bytes();
      return new Staged(none, -1, terms, null);
    }
    double[] treeMargins = holdout.treeMargins() != null
        ? holdout.treeMargins()
        : LocalBoosting.treeMargins(holdout.bytes(), points);
    MarginTerms terms = TermSweep.sweep(holdout.terms(), FITTED, points, treeMargins, diagnostics);
    return new Staged(holdout.bytes(), holdout.bestIteration(), terms, treeMargins);
  }

  /** The notes a demand model's provenance carries about its terms. */
  List<String> notes() {
    List<String> notes = new ArrayList<>();
    notes.add(
        ("demand = level trees x (1 + base level) x exp(E * ref + slope * (discount - ref)): ref ="
                + " %s, the discount the base level was measured at; E = %.4f the reference"
                + " elasticity the recent levels were de-discounted with. The level trees read every"
                + " feature but the week's discount and price; the slope of a row is its category's"
                + " (a Poisson maximum-likelihood fit with the trees as offset, shrunk towards the"
                + " pooled slope by empirical Bayes) moved towards the series' own slope (%s, a"
                + " Poisson regression of its own history before the origin) by tau^2 / (tau^2 +"
                + " its variance %s), tau^2 the fit's choice; every slope is in [0, 10], so demand is"
                + " non-decreasing in the discount for every row. Trees and terms are fitted in %d"
                + " alternating passes, on the driver from the training rows the trees scored")
            .formatted(FeatureLayout.BASE_DISCOUNT, layout.spec().referenceElasticity(),
                FeatureLayout.OWN_SLOPE, FeatureLayout.OWN_SLOPE_VARIANCE, PASSES));
    notes.add(
        "term fits: each sweep weighs a point by 1 / (1 + phi * mu) at the current margins, phi"
            + " the negative-binomial dispersion by moments (metric nb_dispersion): Poisson where"
            + " counts are, the log scale where large promoted weeks vary tenfold");
    notes.add(
        ("base margin: the trees are fitted on top of log(1 + %s) (0 without history) and the"
                + " other terms, so they learn the ratio of demand to the recent regular level")
            .formatted(FeatureLayout.BASE_LEVEL));
    notes.add(
        ("season term: demand also gains a factor %s ^ b where that ratio is known; b >= 0 is a"
                + " Poisson maximum-likelihood fit with the rest as offset, first on the base level"
                + " alone, then after each pass of trees (metric season_exponent)")
            .formatted(FeatureLayout.SEASON_RATIO));
    notes.add(
        ("level blend: demand also gains a factor %s ^ w(category) where that ratio is known, so"
                + " the base level becomes base^(1 - w) x smoothed^w (the smoothed level weighs the"
                + " plain weeks of the last year by %s^weeks back); w in [0, 1] per category, at the"
                + " same points as the season exponent (metrics level_weight_*)")
            .formatted(FeatureLayout.SMOOTH_RATIO, FeatureLayout.SMOOTH_DECAY));
    return notes;
  }

  /** The holdout figures of a demand model on its validation rows. */
  record Holdout(double wape, double bias, double rows, double actual, double naiveMean,
      double naiveLevel4) {
    Map<String, Double> metrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("holdout_wape", wape);
      m.put("holdout_bias", bias);
      m.put("holdout_rows", rows);
      m.put("holdout_actual_units", actual);
      m.put("naive_mean_wape", naiveMean);
      m.put("naive_level4_wape", naiveLevel4);
      return m;
    }
  }

  /**
   * Holdout figures of {@code predictions} on {@code rows} beside two naive forecasts: the
   * training mean {@code mean} and each row's 4-week level ({@code mean} when unknown); null when
   * the rows sold nothing.
   */
  static Holdout holdout(TrainingRows rows, double[] predictions, double mean) {
    double abs = 0;
    double err = 0;
    double actual = 0;
    double naive = 0;
    double level = 0;
    for (int i = 0; i < rows.size(); i++) {
      double y = rows.y[i];
      abs += Math.abs(predictions[i] - y);
      err += predictions[i] - y;
      actual += y;
      naive += Math.abs(mean - y);
      double l4 = Double.isNaN(rows.level4[i]) ? mean : rows.level4[i];
      level += Math.abs(l4 - y);
    }
    if (rows.size() == 0 || !(actual > 0)) {
      return null;
    }
    return new Holdout(abs / actual, err / actual, rows.size(), actual, naive / actual,
        level / actual);
  }

  /** The Poisson deviance of {@code predictions} on {@code rows}, per unit of weight. */
  static double deviance(TrainingRows rows, double[] predictions) {
    double sum = 0;
    double weight = 0;
    for (int i = 0; i < rows.size(); i++) {
      sum += rows.w[i] * rowDeviance(rows.y[i], predictions[i]);
      weight += rows.w[i];
    }
    return weight > 0 ? sum / weight : 0;
  }

  /** Standard errors by which the trees must beat the terms alone on the holdout. */
  static final double TREE_GAIN_SE = 2.0;

  /**
   * The mean per-row gain in Poisson deviance of {@code withTrees} over {@code termsOnly} on
   * {@code rows} and its standard error: {@code {gain, se}}.
   */
  static double[] treeGain(TrainingRows rows, double[] withTrees, double[] termsOnly) {
    int n = rows.size();
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < n; i++) {
      double y = rows.y[i];
      double d = rowDeviance(y, termsOnly[i]) - rowDeviance(y, withTrees[i]);
      sum += d;
      squares += d * d;
    }
    if (n < 2) {
      return new double[] {n == 0 ? 0 : sum, Double.POSITIVE_INFINITY};
    }
    double mean = sum / n;
    double variance = Math.max(0, (squares - n * mean * mean) / (n - 1));
    return new double[] {mean, Math.sqrt(variance / n)};
  }

  /**
   * Whether trees earn their place: their holdout gain over the terms alone exceeds {@link
   * #TREE_GAIN_SE} standard errors. Where the holdout is a few dozen weeks of large, promoted
   * counts, a lower deviance with trees is mostly luck, and the simpler model forecasts better.
   */
  static boolean treesEarnTheirPlace(double[] gain) {
    return gain[0] > TREE_GAIN_SE * gain[1];
  }

  private static double rowDeviance(double y, double prediction) {
    double mu = Math.max(prediction, 1e-9);
    return 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
  }

  /** The week the holdout starts, for notes. */
  static String describe(LocalDate cutoff, int weeks) {
    return "origin %s (the last %d weeks, a time-ordered split)".formatted(cutoff, weeks);
  }
}
