package io.pricepath.forecast.train;

import io.pricepath.forecast.model.FitPoints;
import io.pricepath.forecast.model.MarginTerm;
import io.pricepath.forecast.model.MarginTerms;
import java.util.List;
import java.util.Map;

/**
 * The demand terms' joint fit after a pass of trees: coordinate sweeps over the terms, each a
 * Poisson fit with the trees and the other terms as offset, on points reweighted for a
 * negative-binomial variance. Plain arrays, no Spark.
 */
final class TermSweep {
  /** Most sweeps of the term fits after one pass of trees. */
  static final int SWEEPS = 8;

  private TermSweep() {}

  /**
   * {@code terms} refitted by {@link #refit} sweeps until the weighted log-likelihood of the
   * points gains less than a millionth (at most {@link #SWEEPS}): the terms interact (the own
   * level, the own slopes and the own signal lift all move the same rows), so one pass of
   * coordinate fits stops short of their joint maximum. Each sweep fits on the points reweighted
   * for a negative-binomial variance at the current margins ({@link #robust}).
   */
  static MarginTerms sweep(
      MarginTerms terms, List<String> names, TrainingRows points, double[] treeMargins,
      Map<String, Double> diagnostics) {
    TermColumns columns = new TermColumns(terms, points.x, points.width, points.size());
    for (int k = 0; k < SWEEPS; k++) {
      double[] eta = columns.total(treeMargins);
      FitPoints weighted = robust(eta, points, diagnostics);
      double before = logLikelihood(eta, weighted);
      refit(columns, names, weighted, eta, diagnostics);
      double after = logLikelihood(columns.total(treeMargins), weighted);
      if (!(after - before > 1e-6 * Math.abs(before))) {
        break;
      }
    }
    return columns.terms();
  }

  /**
   * The points with their weights {@code w / (1 + φ·mu)} at the margins {@code eta} (trees and
   * terms): a Poisson fit on them is the quasi-likelihood fit of the negative-binomial variance
   * {@code mu + φ·mu²}, {@code φ} the moment estimate {@code Σ w ((y − mu)² − mu) / Σ w mu²} (at
   * least 0). Where counts are near Poisson ({@code φ ≈ 0}) nothing changes; where weeks of a few
   * thousand units vary by a factor of ten from week to week (real promotions), a Poisson fit
   * lets those weeks decide every pooled parameter, and this one weighs each week alike on the
   * log scale. The estimate goes into {@code diagnostics} as {@code nb_dispersion}.
   */
  static FitPoints robust(double[] eta, TrainingRows points, Map<String, Double> diagnostics) {
    int n = points.size();
    double[] mu = new double[n];
    double excess = 0;
    double square = 0;
    for (int i = 0; i < n; i++) {
      mu[i] = Math.exp(Math.min(eta[i], 30));
      double r = points.y[i] - mu[i];
      excess += points.w[i] * (r * r - mu[i]);
      square += points.w[i] * mu[i] * mu[i];
    }
    double phi = square > 0 ? Math.max(0, excess / square) : 0;
    diagnostics.put("nb_dispersion", phi);
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = points.w[i] / (1 + phi * mu[i]);
    }
    return new FitPoints(points.x, points.width, points.y, w, points.overlap());
  }

  private static double logLikelihood(double[] eta, FitPoints points) {
    double sum = 0;
    for (int i = 0; i < points.size(); i++) {
      sum += points.weights()[i] * (points.labels()[i] * eta[i] - Math.exp(eta[i]));
    }
    return sum;
  }

  /**
   * Refits the terms {@code names} of {@code columns} in that order on {@code points}, each with
   * every other term and the trees as offset; {@code total} (the trees' and the terms' margins
   * per point) is kept up to date as each term changes.
   */
  private static void refit(
      TermColumns columns, List<String> names, FitPoints points, double[] total,
      Map<String, Double> diagnostics) {
    for (String name : names) {
      int t = columns.indexOf(name);
      if (t < 0) {
        continue;
      }
      double[] old = columns.column(t);
      double[] rest = new double[points.size()];
      for (int i = 0; i < rest.length; i++) {
        rest[i] = total[i] - old[i];
      }
      double[] fitted = columns.replace(t, columns.term(t).refit(points, rest, diagnostics));
      for (int i = 0; i < rest.length; i++) {
        total[i] = rest[i] + fitted[i];
      }
    }
  }

  /**
   * Each term's margin at every point, computed once and again only for the term refitted: a
   * sweep reads the margins of every term several times (weights, likelihoods, offsets), and
   * computing them from the features each time cost most of a sweep.
   */
  private static final class TermColumns {
    private final float[] x;
    private final int width;
    private final int n;
    private MarginTerms terms;
    private final double[][] columns;

    TermColumns(MarginTerms terms, float[] x, int width, int n) {
      this.terms = terms;
      this.x = x;
      this.width = width;
      this.n = n;
      this.columns = new double[terms.terms().size()][];
      for (int t = 0; t < columns.length; t++) {
        columns[t] = margins(terms.terms().get(t));
      }
    }

    private double[] margins(MarginTerm term) {
      double[] m = new double[n];
      for (int i = 0; i < n; i++) {
        m[i] = term.margin(x, i * width);
      }
      return m;
    }

    MarginTerms terms() {
      return terms;
    }

    MarginTerm term(int t) {
      return terms.terms().get(t);
    }

    double[] column(int t) {
      return columns[t];
    }

    int indexOf(String name) {
      for (int t = 0; t < columns.length; t++) {
        if (term(t).name().equals(name)) {
          return t;
        }
      }
      return -1;
    }

    /** Puts {@code fitted} in place of term {@code t}; its margins. */
    double[] replace(int t, MarginTerm fitted) {
      terms = terms.with(fitted);
      columns[t] = margins(fitted);
      return columns[t];
    }

    /** The trees' margins plus every term's, summed in the terms' order as {@link MarginTerms#margin}. */
    double[] total(double[] trees) {
      double[] total = new double[n];
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (double[] column : columns) {
          sum += column[i];
        }
        total[i] = trees[i] + sum;
      }
      return total;
    }
  }
}
