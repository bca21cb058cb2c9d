package io.pricepath.optimizer.lagrangian;

import java.io.Serializable;

/**
 * The cached solutions of one article that primal recovery may choose from (all of them, or a
 * subset).
 *
 * @param key article key ({@code articleId|market})
 * @param profit {@code [n]} profit of each listed path
 * @param rows indexes of the coupling rows the article takes part in
 * @param activity {@code [n][rows.length]} the article's g for each listed path and row
 * @param index {@code [n]} position of each listed path in the article's cache ({@link
 *     ArticleState#cached(int)})
 */
public record ArticleCandidates(String key, double[] profit, int[] rows, double[][] activity, int[] index)
    implements Serializable {

  public ArticleCandidates {
    if (activity.length != profit.length || index.length != profit.length) {
      throw new IllegalArgumentException(
          "Cannot list candidates of %s: %d profits, %d activities, %d indexes"
              .formatted(key, profit.length, activity.length, index.length));
    }
  }

  /** All {@code profit.length} cached paths of an article, in cache order. */
  public ArticleCandidates(String key, double[] profit, int[] rows, double[][] activity) {
    this(key, profit, rows, activity, identity(profit.length));
  }

  /** Number of listed paths. */
  public int size() {
    return profit.length;
  }

  private static int[] identity(int n) {
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = i;
    }
    return index;
  }
}
