package io.pricepath.optimizer.lagrangian;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.PathSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * An in-memory {@link ArticlePool}: articles are solved on the common fork-join pool, results are
 * summed in article order (so runs are reproducible).
 */
public final class LocalArticlePool implements ArticlePool {

  private static final ThreadLocal<ArticleSolver> SOLVERS = ThreadLocal.withInitial(ArticleSolver::new);

  private final List<CouplingRow> rows;
  private final ArticleState[] states;
  private final Map<String, Integer> index = new HashMap<>();

  /**
   * A pool of {@code articles} under coupling rows {@code rows}.
   *
   * @throws IllegalArgumentException when two articles share a key
   */
  public LocalArticlePool(List<ArticleProblem> articles, List<CouplingRow> rows) {
    this.rows = List.copyOf(rows);
    this.states = new ArticleState[articles.size()];
    for (int i = 0; i < states.length; i++) {
      ArticleProblem p = articles.get(i);
      if (index.put(p.key(), i) != null) {
        throw new IllegalArgumentException(
            "Cannot build article pool: article key %s appears twice; keys (articleId|market) must be unique".formatted(p.key()));
      }
      states[i] = ArticleState.of(p, this.rows);
    }
  }

  @Override
  public ArticleEvaluation solveAll(double[] lambda) {
    return solveAll(lambda, 1);
  }

  @Override
  public ArticleEvaluation solveAll(double[] lambda, int paths) {
    ArticleEvaluation[] evaluations = new ArticleEvaluation[states.length];
    IntStream.range(0, states.length).parallel().forEach(i -> {
      states[i] = states[i].solve(lambda, rows, SOLVERS.get(), paths);
      evaluations[i] = states[i].lastEvaluation();
    });
    return sum(evaluations);
  }

  @Override
  public ArticleEvaluation bestCached(double[] lambda) {
    ArticleEvaluation[] evaluations = new ArticleEvaluation[states.length];
    IntStream.range(0, states.length).parallel().forEach(i -> evaluations[i] = states[i].bestCached(lambda, rows));
    return sum(evaluations);
  }

  @Override
  public List<ArticleCandidates> candidates() {
    List<ArticleCandidates> list = new ArrayList<>(states.length);
    for (ArticleState state : states) {
      list.add(state.candidates(rows));
    }
    return list;
  }

  /**
   * Cached path {@code choice} of the article with key {@code key}, e.g. the one a {@link
   * DecompositionResult#choice()} names.
   *
   * @throws IllegalArgumentException when no article has that key
   */
  public PathSummary path(String key, int choice) {
    Integer i = index.get(key);
    if (i == null) {
      throw new IllegalArgumentException("Cannot find article in pool: unknown key (%s)".formatted(key));
    }
    return states[i].cached(choice);
  }

  /** The current state of every article, in the order they were given. */
  public List<ArticleState> states() {
    return List.of(states.clone());
  }

  private ArticleEvaluation sum(ArticleEvaluation[] evaluations) {
    ArticleEvaluation total = ArticleEvaluation.zero(rows.size());
    for (ArticleEvaluation e : evaluations) {
      total = total.plus(e);
    }
    return total;
  }
}
