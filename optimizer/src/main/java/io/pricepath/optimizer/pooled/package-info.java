/**
 * Articles whose markets draw on one shared stock pool: the {@link
 * io.pricepath.optimizer.pooled.PooledArticleProblem}, its exact joint solver {@link
 * io.pricepath.optimizer.pooled.PooledArticleSolver} (the pool allocated to the markets at the
 * start of the horizon and one discount path per market, by a dynamic programme over markets and
 * units on top of exact single-market solves) and {@link
 * io.pricepath.optimizer.pooled.PooledArticleState}, the
 * adapter through which a pooled article takes part in the Lagrangian decomposition like any
 * single-market article. Plain Java, no engine.
 */
package io.pricepath.optimizer.pooled;
