package io.pricepath.optimizer.pooled;

import io.pricepath.optimizer.RandomProblems;
import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.CouplingWeights;
import io.pricepath.optimizer.article.Rules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Seeded generators of pooled articles for the tests and the benchmark. */
final class PooledProblems {

  static final String[] MARKETS = {"DE", "FR", "NL", "AT", "BE", "CH", "IT", "ES", "PL", "SE", "DK", "CZ"};

  private final RandomProblems gen;

  PooledProblems(long seed) {
    this.gen = new RandomProblems(seed);
  }

  RandomProblems random() {
    return gen;
  }

  /**
   * An article in {@code markets} markets sharing a pool of {@code cover} times the markets'
   * summed demand at level 0 ({@code Double.POSITIVE_INFINITY} for an unlimited pool), each market
   * under {@code rules} (null: rules drawn at random).
   */
  PooledArticleProblem article(String id, int markets, int weeks, int levels, double cover, Rules rules) {
    List<ArticleProblem> list = new ArrayList<>();
    double demand = 0;
    for (int m = 0; m < markets; m++) {
      Rules r = rules != null ? rules : gen.rules(weeks, levels);
      ArticleProblem p = gen.article(id, MARKETS[m], "shoes", weeks, levels, Double.POSITIVE_INFINITY, r);
      for (int t = 0; t < weeks; t++) {
        demand += p.demand()[t][0];
      }
      list.add(p);
    }
    double pool = cover == Double.POSITIVE_INFINITY ? cover : Math.round(cover * demand);
    double residual = 20 * gen.random().nextDouble();
    return PooledArticleProblem.sharing(list, pool, residual);
  }

  /** Markdown-only rules from level 0 with at most {@code steps} steps a week and {@code changes} changes. */
  static Rules markdown(int weeks, int levels, int steps, int changes) {
    int[] locked = new int[weeks];
    Arrays.fill(locked, -1);
    return new Rules(0, true, steps, changes, 0, levels - 1, new boolean[weeks], weeks - 1, locked);
  }

  /** Random non-zero coupling weights for every market. */
  CouplingWeights[] weights(int markets, int weeks) {
    CouplingWeights[] w = new CouplingWeights[markets];
    for (int m = 0; m < markets; m++) {
      w[m] = gen.weights(weeks);
    }
    return w;
  }

  /** Small coupling weights, as multipliers of a converged decomposition put on an article. */
  CouplingWeights[] mildWeights(int markets, int weeks) {
    CouplingWeights[] w = new CouplingWeights[markets];
    for (int m = 0; m < markets; m++) {
      double[] a = new double[weeks];
      double[] b = new double[weeks];
      double[] c = new double[weeks];
      for (int t = 0; t < weeks; t++) {
        a[t] = 0.05 * gen.random().nextDouble();
        b[t] = 0.3 * gen.random().nextDouble();
        c[t] = 0.2 * gen.random().nextDouble();
      }
      w[m] = new CouplingWeights(a, b, c);
    }
    return w;
  }
}
