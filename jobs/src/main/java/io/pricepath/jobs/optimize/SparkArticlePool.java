package io.pricepath.jobs.optimize;

import io.pricepath.optimizer.lagrangian.ArticleCandidates;
import io.pricepath.optimizer.lagrangian.ArticleEvaluation;
import io.pricepath.optimizer.lagrangian.ArticlePool;
import io.pricepath.optimizer.lagrangian.CouplingRow;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * The article subproblems on Spark executors: every full evaluation solves each subproblem (an
 * (article, market), or an article whose markets share one stock pool) in its partition and keeps
 * the new path in its cache; the driver only sees sums, and the cached paths' figures when it
 * recovers the primal plan.
 */
final class SparkArticlePool implements ArticlePool {
  private final List<CouplingRow> rows;
  private final LongAccumulator pooledSolves;
  private final LongAccumulator pooledNanos;
  private JavaRDD<Subproblem> states;

  SparkArticlePool(JavaRDD<Subproblem> states, List<CouplingRow> rows) {
    this.rows = List.copyOf(rows);
    this.states = states.persist(StorageLevel.MEMORY_AND_DISK());
    this.pooledSolves = states.context().longAccumulator("pricepath pooled solves");
    this.pooledNanos = states.context().longAccumulator("pricepath pooled solve nanos");
  }

  @Override
  public ArticleEvaluation solveAll(double[] lambda) {
    return solveAll(lambda, 1);
  }

  @Override
  public ArticleEvaluation solveAll(double[] lambda, int paths) {
    List<CouplingRow> rows = this.rows;
    double[] multipliers = lambda.clone();
    JavaRDD<Subproblem> next = advance((s, solvers) -> s.solve(multipliers, rows, solvers, paths));
    ArticleEvaluation total = next.map(Subproblem::lastEvaluation)
        .fold(ArticleEvaluation.zero(rows.size()), ArticleEvaluation::plus);
    replace(next);
    return total;
  }

  @Override
  public Enumeration enumerate(double[] lambda, double slack, int most) {
    List<CouplingRow> rows = this.rows;
    double[] multipliers = lambda.clone();
    JavaRDD<Subproblem> next = advance((s, solvers) -> s.enumerate(multipliers, rows, solvers, slack, most));
    ArticleEvaluation total = next.map(Subproblem::lastEvaluation)
        .fold(ArticleEvaluation.zero(rows.size()), ArticleEvaluation::plus);
    long truncated = next.filter(s -> !s.lastEnumerationComplete()).count();
    replace(next);
    return new Enumeration(total, truncated);
  }

  @Override
  public List<ArticleCandidates> candidates(double[] lambda, int open) {
    List<CouplingRow> rows = this.rows;
    double[] l = lambda.clone();
    if (open <= 0) {
      return states.map(s -> s.bestCandidate(l, rows)).collect();
    }
    List<Double> regrets = states.map(s -> s.regret(l, rows)).takeOrdered(open);
    if (regrets.isEmpty()) {
      return states.map(s -> s.bestCandidate(l, rows)).collect();
    }
    double cut = regrets.get(regrets.size() - 1);
    return states.map(s -> s.regret(l, rows) <= cut ? s.candidates(rows) : s.bestCandidate(l, rows)).collect();
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

  /** The subproblems with their caches, as they stand now. */
  JavaRDD<Subproblem> states() {
    return states;
  }

  /** Pooled articles solved so far (each solve of each pooled article counts once). */
  long pooledSolves() {
    return pooledSolves.value();
  }

  /** Wall time of those solves, in milliseconds. */
  double pooledSolveMillis() {
    return pooledNanos.value() / 1e6;
  }

  void release() {
    states.unpersist(false);
  }

  /** Every subproblem advanced by {@code step} (one set of solvers per partition), persisted. */
  private JavaRDD<Subproblem> advance(Step step) {
    LongAccumulator solves = pooledSolves;
    LongAccumulator nanos = pooledNanos;
    return states
        .mapPartitions((Iterator<Subproblem> it) -> {
          Subproblem.Solvers solvers = new Subproblem.Solvers();
          List<Subproblem> solved = new ArrayList<>();
          while (it.hasNext()) {
            Subproblem s = step.apply(it.next(), solvers);
            if (s.pooled()) {
              solves.add(1);
              nanos.add(s.lastNanos());
            }
            solved.add(s);
          }
          return solved.iterator();
        }, true)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** What a full evaluation does to one subproblem. */
  private interface Step extends Serializable {
    Subproblem apply(Subproblem s, Subproblem.Solvers solvers);
  }

  private void replace(JavaRDD<Subproblem> next) {
    states.unpersist(false);
    states = next;
  }
}
