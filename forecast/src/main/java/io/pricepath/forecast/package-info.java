/**
 * Forecasting on Spark: {@link io.pricepath.forecast.Forecast} trains the five discount-dependent
 * models with XGBoost4J-Spark on the history before a plan week, loads saved ones, computes the
 * forecast grid (article, market, week, discount) on the executors with the raw boosters, and
 * measures its throughput. {@link io.pricepath.forecast.ForecastSettings} holds the validated
 * configuration.
 */
package io.pricepath.forecast;
