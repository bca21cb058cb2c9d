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

  /**
   * As {@link #solveAll(double[])}, and also caches, per article, every path whose {@code profit −
   * λ·g} is within {@code slack} of the article's best, at most {@code most} of them (see {@link
   * ArticleState#enumerate}). Pools that do not support it cache the {@code most} best paths and
   * report every article as incomplete.
   */
  default Enumeration enumerate(double[] lambda, double slack, int most) {
    ArticleEvaluation evaluation = solveAll(lambda, most);
    return new Enumeration(evaluation, evaluation.articles());
  }

  /** For every article, the cached path that is best under {@code lambda}, summed (no solving). */
  ArticleEvaluation bestCached(double[] lambda);

  /** Every article's cached paths, for primal recovery. */
  List<ArticleCandidates> candidates();

  /**
   * The candidates of a primal recovery at scale: the {@code open} articles whose two best cached
   * paths under {@code lambda} are closest in value ({@link ArticleState#regret}) list every
   * cached path; every other article lists only its best cached path under {@code lambda}. In the
   * order of {@link #candidates()}. Pools that do not support it list every cached path of every
   * article.
   */
  default List<ArticleCandidates> candidates(double[] lambda, int open) {
    return candidates();
  }

  /**
   * What an {@link #enumerate} found.
   *
   * @param evaluation sum of the articles' best paths (as {@link #solveAll(double[])})
   * @param truncated articles that had more paths within the slack than were cached
   */
  record Enumeration(ArticleEvaluation evaluation, long truncated) {}
}
