package io.pricepath.optimizer.lagrangian;

/**
 * How long and how precisely the decomposition runs.
 *
 * @param maxIterations most full evaluations (outer iterations) of all articles
 * @param gapTolerance stop once (dual bound − primal) / |dual bound| is at most this
 * @param heuristicCutsPerIteration max-violation cuts from cached paths between full evaluations
 */
public record DecompositionSettings(int maxIterations, double gapTolerance, int heuristicCutsPerIteration) {

  public DecompositionSettings {
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1 (%d)".formatted(maxIterations));
    }
    if (!(gapTolerance >= 0)) {
      throw new IllegalArgumentException("gapTolerance must be >= 0 (%s)".formatted(gapTolerance));
    }
    if (heuristicCutsPerIteration < 0) {
      throw new IllegalArgumentException(
          "heuristicCutsPerIteration must be >= 0 (%d)".formatted(heuristicCutsPerIteration));
    }
  }
}
