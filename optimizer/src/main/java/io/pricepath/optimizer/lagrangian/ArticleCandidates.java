package io.pricepath.optimizer.lagrangian;

import java.io.Serializable;

/**
 * The cached solutions of one article, as primal recovery sees them.
 *
 * @param key article key ({@code articleId|market})
 * @param profit {@code [n]} profit of each cached path
 * @param rows indexes of the coupling rows the article takes part in
 * @param activity {@code [n][rows.length]} the article's g for each cached path and row
 */
public record ArticleCandidates(String key, double[] profit, int[] rows, double[][] activity)
    implements Serializable {}
