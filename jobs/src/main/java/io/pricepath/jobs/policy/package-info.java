/**
 * Policy evaluation on the simulator ({@code pricepath policy-backtest}): a whole season run week
 * by week on a generated market for the pricepath policy (learnt forecasts), the oracle (the same
 * optimizer on the simulator's true demand), no markdown and a fixed rule ladder, each realised by
 * the simulator with its true demand; profit, revenue, sell-through and target adherence of each,
 * and the share of the oracle's gain over the ladder that pricepath captures. Entry point: {@link
 * io.pricepath.jobs.policy.PolicyBacktest}.
 */
package io.pricepath.jobs.policy;
