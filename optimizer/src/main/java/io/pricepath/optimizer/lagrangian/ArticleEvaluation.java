package io.pricepath.optimizer.lagrangian;

import java.io.Serializable;

/**
 * What articles contribute under one set of multipliers; sums over articles with {@link #plus}.
 *
 * @param lagrangian Σ over articles of {@code profit − λ·g} of the chosen paths
 * @param profit Σ profit of the chosen paths
 * @param rowActivity {@code [R]} Σ g of the chosen paths per coupling row
 * @param articles number of articles summed
 * @param profitFloor Σ over articles of a profit no admissible path of the article can fall below
 *     ({@code −∞} when unknown): a dual value below it proves the hard rows cannot all be met
 */
public record ArticleEvaluation(double lagrangian, double profit, double[] rowActivity, long articles, double profitFloor)
    implements Serializable {

  /** An evaluation without a known profit floor. */
  public ArticleEvaluation(double lagrangian, double profit, double[] rowActivity, long articles) {
    this(lagrangian, profit, rowActivity, articles, Double.NEGATIVE_INFINITY);
  }

  /** The neutral element for {@code rows} coupling rows. */
  public static ArticleEvaluation zero(int rows) {
    return new ArticleEvaluation(0, 0, new double[rows], 0, 0);
  }

  /** Sum of this and {@code other}. */
  public ArticleEvaluation plus(ArticleEvaluation other) {
    double[] activity = rowActivity.clone();
    for (int r = 0; r < activity.length; r++) {
      activity[r] += other.rowActivity[r];
    }
    return new ArticleEvaluation(
        lagrangian + other.lagrangian, profit + other.profit, activity, articles + other.articles,
        profitFloor + other.profitFloor);
  }
}
