/**
 * Features of the discount-dependent models: the plan state (what is on sale at the plan week
 * and with what stock), the history state of every (article, market) at a forecast origin, and
 * the fixed-width feature vectors the models read.
 *
 * <p>The design is direct multi-horizon: a sample is anchored at a forecast origin {@code o} and
 * targets week {@code t = o + h - 1}, {@code h = 1..H}. Its history features use only weekly rows
 * strictly before {@code o}; its week features are known in advance (the discount of week
 * {@code t}, the calendar, the article's lifecycle, the {@code x_*} signals of week {@code t}).
 * {@link io.pricepath.features.FeatureBuilder} builds the Spark side (origin states, training
 * samples, scoring inputs); {@link io.pricepath.features.FeatureLayout} turns one origin state and
 * one target week into floats, without Spark, so training and scoring share one encoder.
 */
package io.pricepath.features;
