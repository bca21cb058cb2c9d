package io.pricepath.optimizer.lagrangian;

import java.util.List;
import java.util.Map;

/**
 * What a decomposition found and how far from optimal it can be.
 *
 * @param lambda multipliers of the best dual bound, one per coupling row
 * @param primalObjective total profit of the recovered plan
 * @param dualBound the least Lagrangian upper bound found
 * @param gap (dualBound − primalObjective) / |dualBound|
 * @param feasible whether the recovered plan meets every coupling row
 * @param rowActivity {@code [R]} Σ g of the recovered plan per row
 * @param choice article key → index of the chosen path in that article's cached paths (as in
 *     {@link ArticlePool#candidates()})
 * @param iterations one entry per outer iteration
 */
public record DecompositionResult(
    double[] lambda,
    double primalObjective,
    double dualBound,
    double gap,
    boolean feasible,
    double[] rowActivity,
    Map<String, Integer> choice,
    List<Iteration> iterations) {

  /**
   * One outer iteration.
   *
   * @param index 1-based
   * @param dualValue dual function at this iteration's multipliers
   * @param bestDual least dual value so far
   * @param masterValue master LP objective (a lower estimate of the least dual value)
   * @param heuristicCuts max-violation cuts added from cached paths
   * @param millis wall time of the iteration
   */
  public record Iteration(
      int index, double dualValue, double bestDual, double masterValue, int heuristicCuts, long millis) {}
}
