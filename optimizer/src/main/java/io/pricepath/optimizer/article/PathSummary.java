package io.pricepath.optimizer.article;

import java.io.Serializable;

/**
 * One admissible discount path of an article and what it is worth: enough to price it under any
 * Lagrangian multipliers without solving again.
 *
 * @param levels ladder index per week, {@code [T]}
 * @param profit the article's own profit: revenue net of returns, less fulfillment, plus residual
 *     value of stock left and of late returns
 * @param discountValue {@code [T]} d·p0·s per week
 * @param grossValue {@code [T]} p0·s per week (sales at black price)
 * @param units {@code [T]} expected gross units sold s per week
 */
public record PathSummary(
    int[] levels, double profit, double[] discountValue, double[] grossValue, double[] units)
    implements Serializable {}
