/**
 * Lagrangian decomposition of the multi-article problem: coupling rows and their prices, article
 * states with their caches of solved paths, the {@link io.pricepath.optimizer.lagrangian.ArticlePool}
 * abstraction an engine implements (an in-memory one is included), the cutting-plane dual with
 * heuristic cuts and primal recovery, entered through {@link
 * io.pricepath.optimizer.lagrangian.LagrangianDecomposition}.
 */
package io.pricepath.optimizer.lagrangian;
