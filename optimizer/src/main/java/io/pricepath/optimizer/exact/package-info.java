/**
 * The whole multi-article markdown problem solved exactly by SCIP through OR-Tools, for small
 * instances: {@link io.pricepath.optimizer.exact.ExactMip} (week × level binaries and the stock
 * balance) and {@link io.pricepath.optimizer.exact.PathMip} (one binary per enumerated admissible
 * path) — the references the decomposition is tested against.
 */
package io.pricepath.optimizer.exact;
