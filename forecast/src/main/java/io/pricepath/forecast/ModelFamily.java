package io.pricepath.forecast;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which family forecasts demand — the gradient-boosted trees with their margin terms, or the
 * transformer network — and the transformer's sizes. The other targets are trees in both.
 *
 * @param name {@code trees} or {@code transformer}
 * @param weeks weeks of history the transformer's encoder reads (1 .. 52)
 * @param width width of its encoder and heads (a multiple of {@code heads})
 * @param heads attention heads
 * @param layers encoder layers
 * @param epochs most training epochs
 * @param patience epochs without a better validation WAPE before training stops
 * @param batchSeries series per training batch
 * @param learningRate Adam's step size
 * @param responsePrior weight of the penalty that holds each row's discount response to the
 *     layout's reference elasticity (0: none)
 * @param threads the engine's threads while training on the driver (0: one per core)
 * @param device {@code auto} (the GPU when the engine finds one), {@code cpu} or {@code gpu}
 */
public record ModelFamily(
    String name, int weeks, int width, int heads, int layers, int epochs, int patience,
    int batchSeries, double learningRate, double responsePrior, int threads, String device) {

  /** The trees: the default. */
  public static final ModelFamily TREES =
      new ModelFamily("trees", 26, 32, 4, 1, 30, 3, 64, 0.002, 0.05, 0, "auto");

  public ModelFamily {
    if (!name.equals("trees") && !name.equals("transformer")) {
      throw new IllegalArgumentException("model family (%s) must be trees or transformer".formatted(name));
    }
    if (weeks < 1 || weeks > 52) {
      throw new IllegalArgumentException("transformer weeks (%d) must be in [1, 52]".formatted(weeks));
    }
    if (heads < 1 || width < heads || width % heads != 0) {
      throw new IllegalArgumentException(
          "transformer width (%d) must be a positive multiple of its heads (%d)".formatted(width, heads));
    }
    if (layers < 1 || epochs < 1 || patience < 0 || batchSeries < 1 || threads < 0) {
      throw new IllegalArgumentException(
          "transformer layers, epochs and batch series must be >= 1, patience and threads >= 0");
    }
    if (!(learningRate > 0 && learningRate < 1)) {
      throw new IllegalArgumentException(
          "transformer learning rate (%s) must be in (0, 1)".formatted(learningRate));
    }
    if (!(responsePrior >= 0)) {
      throw new IllegalArgumentException(
          "transformer response prior (%s) must be >= 0".formatted(responsePrior));
    }
    if (!device.equals("auto") && !device.equals("cpu") && !device.equals("gpu")) {
      throw new IllegalArgumentException("transformer device (%s) must be auto, cpu or gpu".formatted(device));
    }
  }

  /** Whether demand is the transformer's. */
  public boolean transformer() {
    return name.equals("transformer");
  }

  /** The same sizes for the transformer. */
  public ModelFamily asTransformer() {
    return new ModelFamily("transformer", weeks, width, heads, layers, epochs, patience,
        batchSeries, learningRate, responsePrior, threads, device);
  }

  /** The same sizes for the trees (the transformer's sizes kept for a later switch back). */
  public ModelFamily asTrees() {
    return new ModelFamily("trees", weeks, width, heads, layers, epochs, patience, batchSeries,
        learningRate, responsePrior, threads, device);
  }

  /** As provenance text; empty for the trees, so that their model versions stay as they were. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    if (transformer()) {
      m.put("model_family", name);
      m.put("transformer_epochs_max", Integer.toString(epochs));
      m.put("transformer_patience", Integer.toString(patience));
      m.put("transformer_batch_series", Integer.toString(batchSeries));
      m.put("transformer_learning_rate", Double.toString(learningRate));
      m.put("transformer_response_prior", Double.toString(responsePrior));
      m.put("transformer_sequence_weeks", Integer.toString(weeks));
    }
    return m;
  }
}
