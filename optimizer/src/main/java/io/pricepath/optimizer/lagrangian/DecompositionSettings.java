package io.pricepath.optimizer.lagrangian;

/**
 * How long and how precisely the decomposition runs, and what it does with targets that cannot all
 * be met.
 *
 * @param maxIterations most full evaluations (outer iterations) of all articles
 * @param gapTolerance stop once (dual bound − primal) / |dual bound| is at most this
 * @param heuristicCutsPerIteration max-violation cuts from cached paths between full evaluations
 * @param softPenalty what happens to coupling rows without a penalty of their own ({@link
 *     CouplingRow#penalty()} NaN): {@code NaN} fails them (they are hard: when no plan meets them
 *     all, the least-violating plan is returned marked infeasible and the result says which rows
 *     miss by how much), a finite value &ge; 0 makes them soft at this penalty per unit of
 *     violation
 */
public record DecompositionSettings(
    int maxIterations, double gapTolerance, int heuristicCutsPerIteration, double softPenalty) {

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
    if (!Double.isNaN(softPenalty) && !(softPenalty >= 0 && softPenalty < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("softPenalty must be NaN (fail) or finite and >= 0 (%s)".formatted(softPenalty));
    }
  }

  /** Settings under which rows without a penalty of their own are hard (fail when they cannot be met). */
  public DecompositionSettings(int maxIterations, double gapTolerance, int heuristicCutsPerIteration) {
    this(maxIterations, gapTolerance, heuristicCutsPerIteration, Double.NaN);
  }

  /** These settings with rows without a penalty of their own made soft at {@code penalty}. */
  public DecompositionSettings withSoftPenalty(double penalty) {
    return new DecompositionSettings(maxIterations, gapTolerance, heuristicCutsPerIteration, penalty);
  }

  /** The penalty that applies to {@code row}: its own, else this run's, else NaN (hard). */
  public double penaltyOf(CouplingRow row) {
    return row.isSoft() ? row.penalty() : softPenalty;
  }
}
