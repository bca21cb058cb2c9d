/**
 * Lagrangian decomposition of the multi-article problem: coupling rows (hard, or soft at a penalty
 * per unit of violation) and their prices, article states with compact caches of solved paths, the
 * {@link io.pricepath.optimizer.lagrangian.ArticlePool} abstraction an engine implements (an
 * in-memory one is included), the cutting-plane dual with heuristic cuts, an infeasibility proof,
 * and primal recovery (selection MIP, or restricted LP with rounding and repair at scale), entered
 * through {@link io.pricepath.optimizer.lagrangian.LagrangianDecomposition}.
 */
package io.pricepath.optimizer.lagrangian;
