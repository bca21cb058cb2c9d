/**
 * The transformer forecaster (DJL, PyTorch engine): one global network over every (article,
 * market) series that reads the week-by-week history of the layout's {@linkplain
 * io.pricepath.features.SequenceBlock sequence block} through a self-attention encoder, the rest
 * of the feature vector through a static head, and the week's discount only through a monotone
 * piecewise-linear response that bypasses both; a second output gives the return rate. {@link
 * NetworkShape} is the architecture, {@link Inputs} turns feature rows into its tensors (plain
 * Java), {@link Network} the forward pass, {@link Weights} the parameters, {@link Labels} what it
 * learns from, {@link Losses} what training minimises and validation reads, {@link
 * NetworkTraining} the training loop, {@link TrainingState} its checkpoint, and {@link
 * ForecastNetwork} the trained network that {@code model.TransformerModel} serves.
 */
package io.pricepath.forecast.neural;
