package io.pricepath.optimizer.exact;

import java.util.Map;

/**
 * What the exact MIP found.
 *
 * @param objective total profit of the best plan found, NaN when none
 * @param bound SCIP's upper bound on the optimum (equals {@code objective} when optimal)
 * @param optimal whether the plan is proven optimal (within SCIP's tolerances)
 * @param status SCIP's result status, e.g. {@code OPTIMAL}, {@code FEASIBLE}, {@code INFEASIBLE}
 * @param levels article key ({@code articleId|market}) → ladder index per week; empty when no plan
 *     was found
 */
public record ExactResult(double objective, double bound, boolean optimal, String status, Map<String, int[]> levels) {}
