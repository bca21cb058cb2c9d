/**
 * Rolling-origin backtesting of the demand forecast: {@link
 * io.pricepath.forecast.backtest.Backtest#run} trains (or reuses, cached) the models of every
 * origin on the history strictly before it, forecasts the next weeks at the discounts that were
 * actually applied, scores two built-in baselines on the same rows (a recent-mean naive forecast
 * and a per-series log-log price-elasticity regression) and writes {@code metrics.json}, the
 * {@code predictions/} Parquet and a self-contained {@code report.html}. The baselines and the
 * error arithmetic are plain Java; Spark only moves rows.
 */
package io.pricepath.forecast.backtest;
