/**
 * Articles whose markets draw on one shared stock pool: the {@link
 * io.pricepath.optimizer.pooled.PooledArticleProblem}, its exact joint solver {@link
 * io.pricepath.optimizer.pooled.PooledArticleSolver} (one discount path per market, the markets
 * coupled only through the pool) and {@link io.pricepath.optimizer.pooled.PooledArticleState}, the
 * adapter through which a pooled article takes part in the Lagrangian decomposition like any
 * single-market article. Plain Java, no engine.
 */
package io.pricepath.optimizer.pooled;
