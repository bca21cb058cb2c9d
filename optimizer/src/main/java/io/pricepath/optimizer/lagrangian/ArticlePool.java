package io.pricepath.optimizer.lagrangian;

import java.util.List;

/**
 * All article subproblems of one decomposition, wherever they live (in memory, on Spark
 * executors). Each article keeps every distinct path it has been solved to.
 */
public interface ArticlePool {

  /**
   * Solves every article exactly under multipliers {@code lambda}, adds the solutions to the
   * articles' caches, and returns their sum. Its {@code lagrangian + λ·rhs} is the dual function.
   */
  ArticleEvaluation solveAll(double[] lambda);

  /**
   * As {@link #solveAll(double[])}, and also caches each article's next best paths under {@code
   * lambda}, up to {@code paths} in all, as extra candidates for primal recovery. The evaluation
   * is that of the best paths. Pools that do not support it cache only the best path.
   */
  default ArticleEvaluation solveAll(double[] lambda, int paths) {
    return solveAll(lambda);
  }

  /** For every article, the cached path that is best under {@code lambda}, summed (no solving). */
  ArticleEvaluation bestCached(double[] lambda);

  /** Every article's cached paths, for primal recovery. */
  List<ArticleCandidates> candidates();
}
