/**
 * The discount-dependent models, Spark-free: a {@link io.pricepath.forecast.model.TargetModel}
 * per forecast target (an XGBoost booster or a documented constant; a neural model can implement
 * the same interface), their {@link io.pricepath.forecast.model.Provenance}, and the
 * {@link io.pricepath.forecast.model.ModelSet} of all five targets that the forecast grid ships to
 * the executors and that is saved to and loaded from a model folder.
 */
package io.pricepath.forecast.model;
