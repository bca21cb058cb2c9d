package io.pricepath.jobs.optimize;

import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.lagrangian.ArticleCandidates;
import io.pricepath.optimizer.lagrangian.ArticleEvaluation;
import io.pricepath.optimizer.lagrangian.ArticlePool;
import io.pricepath.optimizer.lagrangian.ArticleState;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * The article subproblems on Spark executors: every full evaluation solves each article in its
 * partition and keeps the new path in the article's cache; the driver only sees sums, and the
 * cached paths' figures when it recovers the primal plan.
 */
final class SparkArticlePool implements ArticlePool {
  private final List<CouplingRow> rows;
  private JavaRDD<ArticleState> states;

  SparkArticlePool(JavaRDD<ArticleState> states, List<CouplingRow> rows) {
    this.rows = List.copyOf(rows);
    this.states = states.persist(StorageLevel.MEMORY_AND_DISK());
  }

  @Override
  public ArticleEvaluation solveAll(double[] lambda) {
    return solveAll(lambda, 1);
  }

  @Override
  public ArticleEvaluation solveAll(double[] lambda, int paths) {
    List<CouplingRow> rows = this.rows;
    double[] multipliers = lambda.clone();
    JavaRDD<ArticleState> next = states
        .mapPartitions((Iterator<ArticleState> it) -> {
          ArticleSolver solver = new ArticleSolver();
          List<ArticleState> solved = new ArrayList<>();
          while (it.hasNext()) {
            solved.add(it.next().solve(multipliers, rows, solver, paths));
          }
          return solved.iterator();
        }, true)
        .persist(StorageLevel.MEMORY_AND_DISK());
    int size = rows.size();
    ArticleEvaluation total = next.map(ArticleState::lastEvaluation)
        .fold(ArticleEvaluation.zero(size), ArticleEvaluation::plus);
    states.unpersist(false);
    states = next;
    return total;
  }

  @Override
  public Enumeration enumerate(double[] lambda, double slack, int most) {
    List<CouplingRow> rows = this.rows;
    double[] multipliers = lambda.clone();
    JavaRDD<ArticleState> next = states
        .mapPartitions((Iterator<ArticleState> it) -> {
          ArticleSolver solver = new ArticleSolver();
          List<ArticleState> solved = new ArrayList<>();
          while (it.hasNext()) {
            solved.add(it.next().enumerate(multipliers, rows, solver, slack, most));
          }
          return solved.iterator();
        }, true)
        .persist(StorageLevel.MEMORY_AND_DISK());
    ArticleEvaluation total = next.map(ArticleState::lastEvaluation)
        .fold(ArticleEvaluation.zero(rows.size()), ArticleEvaluation::plus);
    long truncated = next.filter(s -> !s.lastEnumerationComplete()).count();
    states.unpersist(false);
    states = next;
    return new Enumeration(total, truncated);
  }

  @Override
  public List<ArticleCandidates> candidates(double[] lambda, int open) {
    List<CouplingRow> rows = this.rows;
    double[] l = lambda.clone();
    if (open <= 0) {
      return states.map(s -> s.bestCandidate(l)).collect();
    }
    List<Double> regrets = states.map(s -> s.regret(l)).takeOrdered(open);
    if (regrets.isEmpty()) {
      return states.map(s -> s.bestCandidate(l)).collect();
    }
    double cut = regrets.get(regrets.size() - 1);
    return states.map(s -> s.regret(l) <= cut ? s.candidates(rows) : s.bestCandidate(l)).collect();
  }

  @Override
  public ArticleEvaluation bestCached(double[] lambda) {
    List<CouplingRow> rows = this.rows;
    double[] multipliers = lambda.clone();
    return states.map(state -> state.bestCached(multipliers, rows))
        .fold(ArticleEvaluation.zero(rows.size()), ArticleEvaluation::plus);
  }

  @Override
  public List<ArticleCandidates> candidates() {
    List<CouplingRow> rows = this.rows;
    return states.map(state -> state.candidates(rows)).collect();
  }

  /** The articles with their caches, as they stand now. */
  JavaRDD<ArticleState> states() {
    return states;
  }

  void release() {
    states.unpersist(false);
  }
}
