/**
 * One article's markdown problem and its exact solver: the problem and rules records, the {@link
 * io.pricepath.optimizer.article.ArticleSolver} (best path under Lagrangian coupling weights, path
 * evaluation and admissibility), and the summaries a decomposition caches. Plain Java, no engine.
 */
package io.pricepath.optimizer.article;
