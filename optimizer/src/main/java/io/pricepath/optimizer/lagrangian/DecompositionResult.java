package io.pricepath.optimizer.lagrangian;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a decomposition found, how far from optimal it can be, and what happened to every coupling
 * row.
 *
 * @param lambda multipliers of the best dual bound, one per coupling row
 * @param primalObjective total profit of the recovered plan, less the penalties paid on soft rows
 * @param dualBound the least Lagrangian upper bound found
 * @param gap (dualBound − primalObjective) / |dualBound|; {@code +∞} when a hard row is missed
 * @param feasible whether the recovered plan meets every hard coupling row
 * @param rowActivity {@code [R]} Σ g of the recovered plan per row
 * @param choice article key → index of the chosen path in that article's cached paths ({@link
 *     ArticleState#cached(int)})
 * @param iterations one entry per outer iteration (full evaluation of every article)
 * @param rows per coupling row, in order: activity, violation and penalty paid
 * @param penaltyPaid Σ over soft rows of penalty × violation (included in {@code primalObjective})
 * @param outcome whether the targets were met, softened or missed
 * @param infeasibilityProven whether the dual function fell below the least profit any plan can
 *     make: a proof that the hard rows marked {@link RowOutcome#inProof()} cannot all be met
 * @param provenOptimal whether the plan is proven optimal: a selection MIP solved to optimality
 *     over every path of every article within the dual gap
 */
public record DecompositionResult(
    double[] lambda,
    double primalObjective,
    double dualBound,
    double gap,
    boolean feasible,
    double[] rowActivity,
    Map<String, Integer> choice,
    List<Iteration> iterations,
    List<RowOutcome> rows,
    double penaltyPaid,
    Outcome outcome,
    boolean infeasibilityProven,
    boolean provenOptimal) {

  /** A result without row outcomes (as before soft rows existed): hard rows, nothing proven. */
  public DecompositionResult(
      double[] lambda,
      double primalObjective,
      double dualBound,
      double gap,
      boolean feasible,
      double[] rowActivity,
      Map<String, Integer> choice,
      List<Iteration> iterations) {
    this(lambda, primalObjective, dualBound, gap, feasible, rowActivity, choice, iterations, List.of(), 0,
        feasible ? Outcome.MET : Outcome.MISSED, false, false);
  }

  /** What happened to the coupling targets. */
  public enum Outcome {
    /** Every row is met. */
    MET,
    /** Every hard row is met; some soft rows are violated, their penalty paid. */
    SOFTENED,
    /** Some hard rows are missed: the plan is the least-violating one found. */
    MISSED
  }

  /**
   * One outer iteration.
   *
   * @param index 1-based
   * @param dualValue dual function at this iteration's multipliers
   * @param bestDual least dual value so far
   * @param masterValue master LP objective (a lower estimate of the least dual value); NaN for
   *     iterations that only gather candidates for primal recovery
   * @param heuristicCuts max-violation cuts added from cached paths
   * @param millis wall time of the iteration
   */
  public record Iteration(
      int index, double dualValue, double bestDual, double masterValue, int heuristicCuts, long millis) {}

  /**
   * What the plan does to one coupling row ({@code Σ_a g_a ≤ rhs}).
   *
   * @param name the row's name
   * @param rhs its right-hand side
   * @param activity Σ g of the plan
   * @param violation {@code max(0, activity − rhs)}, in the row's unit
   * @param penalty NaN for a hard row, else the penalty per unit of violation
   * @param penaltyPaid penalty × violation (0 for hard rows)
   * @param met whether the row holds (within a relative tolerance of its scale)
   * @param inProof whether the row takes part in the infeasibility proof (a multiplier &gt; 0 where
   *     the dual fell below the least attainable profit)
   */
  public record RowOutcome(
      String name, double rhs, double activity, double violation, double penalty, double penaltyPaid, boolean met,
      boolean inProof) {}

  /** One or two sentences: targets met, softened or missed, by how much, and the gap. */
  public String summary() {
    List<String> missed = new ArrayList<>();
    List<String> softened = new ArrayList<>();
    List<String> proof = new ArrayList<>();
    for (RowOutcome r : rows) {
      if (r.inProof()) {
        proof.add(r.name());
      }
      if (r.met()) {
        continue;
      }
      if (Double.isNaN(r.penalty())) {
        missed.add(String.format(Locale.ROOT, "%s by %,.2f", r.name(), r.violation()));
      } else {
        softened.add(String.format(Locale.ROOT, "%s by %,.2f (penalty %,.2f paid)", r.name(), r.violation(), r.penaltyPaid()));
      }
    }
    StringBuilder text = new StringBuilder();
    switch (outcome) {
      case MET -> text.append("all targets met");
      case SOFTENED -> text.append("hard targets met; soft targets violated: ").append(String.join("; ", softened));
      case MISSED -> {
        text.append("TARGETS NOT ALL MET: ").append(missed.isEmpty() ? "(see row activity)" : String.join("; ", missed));
        if (!softened.isEmpty()) {
          text.append("; soft targets violated: ").append(String.join("; ", softened));
        }
        text.append(infeasibilityProven
            ? "; no plan can meet " + String.join(" and ", proof) + " together (proved by the dual bound)"
            : "; not proven impossible");
        text.append("; returned the least-violating plan found");
      }
    }
    if (feasible) {
      text.append(String.format(Locale.ROOT, "; gap %.4f %%", 100 * Math.max(0, gap)));
      if (provenOptimal) {
        text.append(" (plan proven optimal)");
      }
    }
    return text.toString();
  }
}
