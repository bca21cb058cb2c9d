package io.pricepath.optimizer.lagrangian;

import io.pricepath.optimizer.article.ArticleProblem;
import io.pricepath.optimizer.article.ArticleSolver;
import io.pricepath.optimizer.article.PathSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * An in-memory {@link ArticlePool}: articles are solved on the common fork-join pool in fixed
 * chunks whose sums are added in article order (so runs are reproducible), without an evaluation
 * object per article.
 */
public final class LocalArticlePool implements ArticlePool {

  private static final ThreadLocal<ArticleSolver> SOLVERS = ThreadLocal.withInitial(ArticleSolver::new);
  private static final int CHUNK = 2048;

  private final List<CouplingRow> rows;
  private final ArticleState[] states;
  private final Map<String, Integer> index;

  /**
   * A pool of {@code articles} under coupling rows {@code rows}.
   *
   * @throws IllegalArgumentException when two articles share a key
   */
  public LocalArticlePool(List<ArticleProblem> articles, List<CouplingRow> rows) {
    this.rows = List.copyOf(rows);
    this.states = new ArticleState[articles.size()];
    this.index = new HashMap<>(Math.max(16, articles.size() * 4 / 3 + 1));
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
    double[] multipliers = lambda.clone();
    return sum(i -> {
      states[i] = states[i].solve(multipliers, rows, SOLVERS.get(), paths);
      return states[i].lastIndex();
    }, i -> states[i].lastLagrangian());
  }

  @Override
  public Enumeration enumerate(double[] lambda, double slack, int most) {
    double[] multipliers = lambda.clone();
    ArticleEvaluation evaluation = sum(i -> {
      states[i] = states[i].enumerate(multipliers, rows, SOLVERS.get(), slack, most);
      return states[i].lastIndex();
    }, i -> states[i].lastLagrangian());
    long truncated = Arrays.stream(states).filter(s -> !s.lastEnumerationComplete()).count();
    return new Enumeration(evaluation, truncated);
  }

  @Override
  public ArticleEvaluation bestCached(double[] lambda) {
    double[] multipliers = lambda.clone();
    int[] best = new int[states.length];
    return sum(i -> best[i] = states[i].bestCachedIndex(multipliers), i -> states[i].lagrangianOf(best[i], multipliers));
  }

  @Override
  public List<ArticleCandidates> candidates() {
    List<ArticleCandidates> list = new ArrayList<>(states.length);
    for (ArticleState state : states) {
      list.add(state.candidates(rows));
    }
    return list;
  }

  @Override
  public List<ArticleCandidates> candidates(double[] lambda, int open) {
    if (open >= states.length) {
      return candidates();
    }
    double[] multipliers = lambda.clone();
    double[] regret = new double[states.length];
    IntStream.range(0, states.length).parallel().forEach(i -> regret[i] = states[i].regret(multipliers));
    double threshold = Double.NEGATIVE_INFINITY;
    if (open > 0) {
      double[] sorted = regret.clone();
      Arrays.parallelSort(sorted);
      threshold = sorted[open - 1];
    }
    double cut = threshold;
    ArticleCandidates[] list = new ArticleCandidates[states.length];
    int[] taken = {0};
    for (int i = 0; i < states.length; i++) {
      // ties at the threshold: the first ones, up to open
      if (regret[i] < cut || (regret[i] == cut && regret[i] != Double.POSITIVE_INFINITY && taken[0] < open)) {
        taken[0]++;
        list[i] = states[i].candidates(rows);
      }
    }
    IntStream.range(0, states.length).parallel().forEach(i -> {
      if (list[i] == null) {
        list[i] = states[i].bestCandidate(multipliers);
      }
    });
    return Arrays.asList(list);
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

  /** Number of articles. */
  public int size() {
    return states.length;
  }

  /** Number of cached paths over all articles. */
  public long cachedPaths() {
    long total = 0;
    for (ArticleState s : states) {
      total += s.size();
    }
    return total;
  }

  /**
   * Runs {@code pick} on every article (in parallel chunks) and sums the evaluation of the path it
   * returns, whose {@code profit − λ·g} is {@code lagrangian}.
   */
  private ArticleEvaluation sum(java.util.function.IntUnaryOperator pick, IntToDoubleFunction lagrangian) {
    int m = rows.size();
    int chunks = (states.length + CHUNK - 1) / CHUNK;
    double[][] partial = new double[chunks][];
    IntStream.range(0, chunks).parallel().forEach(c -> {
      double[] acc = new double[3 + m];
      double[] activity = new double[m];
      for (int i = c * CHUNK; i < Math.min(states.length, (c + 1) * CHUNK); i++) {
        int chosen = pick.applyAsInt(i);
        ArticleState s = states[i];
        acc[0] += lagrangian.applyAsDouble(i);
        acc[1] += s.accumulate(chosen, activity);
        acc[2] += s.profitFloor();
      }
      System.arraycopy(activity, 0, acc, 3, m);
      partial[c] = acc;
    });
    double[] total = new double[3 + m];
    for (double[] p : partial) {
      for (int j = 0; j < total.length; j++) {
        total[j] += p[j];
      }
    }
    return new ArticleEvaluation(total[0], total[1], Arrays.copyOfRange(total, 3, 3 + m), states.length, total[2]);
  }
}
