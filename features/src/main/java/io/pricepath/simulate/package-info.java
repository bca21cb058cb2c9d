/**
 * A synthetic market with known ground truth: {@link io.pricepath.simulate.MarketSimulator}
 * writes a dataset root that follows the data contract (v1) together with the true demand,
 * return, cost and residual-value parameters that produced it, and {@link
 * io.pricepath.simulate.GroundTruth} replays any price plan from the plan week on against that
 * truth, for backtests and policy evaluation.
 *
 * <p>Everything is deterministic for a seed: each article draws from its own random stream,
 * derived from the seed and the article's index, so the output does not depend on how the
 * articles are spread over Spark partitions.
 */
package io.pricepath.simulate;
