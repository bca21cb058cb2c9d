package io.pricepath.forecast.neural;

import io.pricepath.features.FeatureLayout;
import io.pricepath.features.SequenceBlock;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The architecture of the network and where it finds its inputs in a layout's vector: a demand
 * output, and a return-rate output where it has one.
 *
 * @param width the vector's width
 * @param sequenceIndex first value of the sequence block
 * @param weeks weeks in the sequence block
 * @param channels values per week
 * @param staticColumns the vector's columns the static head reads (everything before the
 *     sequence block but the embedded codes, the two discount features and the cost features)
 * @param codeColumns columns of the embedded codes: market, category, brand
 * @param vocabularies size of each code's vocabulary (the table has one more row: unknown)
 * @param discountColumn the week's discount
 * @param baseLevelColumn the base level (the scale the network's output is relative to)
 * @param knots the discount response's knots, ascending from 0; the last segment is open
 * @param model the width of the encoder and heads
 * @param heads attention heads
 * @param layers encoder layers
 * @param elasticity the layout's reference elasticity: the discount response starts there (the
 *     pooled semi-elasticity the data shows), not at an arbitrary slope
 * @param returnRatioColumn the article's own return ratio (the return-rate output's prior), -1
 *     where the layout has none
 * @param returnHead whether the network has a return-rate output
 */
public record NetworkShape(
    int width,
    int sequenceIndex,
    int weeks,
    int channels,
    int[] staticColumns,
    int[] codeColumns,
    int[] vocabularies,
    int discountColumn,
    int baseLevelColumn,
    double[] knots,
    int model,
    int heads,
    int layers,
    double elasticity,
    int returnRatioColumn,
    boolean returnHead)
    implements Serializable {

  /** A reference elasticity below this is none: the layout saw no discount response. */
  static final double MIN_REFERENCE = 0.05;

  /** The response's knots: every 10 points of discount up to 70 %. */
  public static final double[] KNOTS = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7};

  public NetworkShape {
    if (weeks < 1) {
      throw new IllegalArgumentException(
          "Cannot build the transformer: its layout has no sequence block (sequence weeks 0)");
    }
    if (model % heads != 0) {
      throw new IllegalArgumentException(
          "Cannot build the transformer: its width %d is not a multiple of its %d heads"
              .formatted(model, heads));
    }
  }

  /** Outputs of a network with a return-rate output, as its provenance names them. */
  static final String BOTH_OUTPUTS = "demand, return_rate";

  /**
   * The shape that reads {@code layout}, with the given sizes; with {@code returnHead}, a
   * return-rate output beside demand.
   */
  public static NetworkShape of(
      FeatureLayout layout, int model, int heads, int layers, boolean returnHead) {
    SequenceBlock seq = layout.sequence();
    List<String> names = layout.names();
    int logPrice = names.indexOf(FeatureLayout.LOG_PRICE);
    int[] codes = {0, 1, 2};
    List<Integer> statics = new ArrayList<>();
    List<String> costs = layout.costFeatures();
    for (int i = 3; i < layout.sequenceIndex(); i++) {
      if (i != layout.discountIndex() && i != logPrice && !costs.contains(names.get(i))) {
        statics.add(i);
      }
    }
    FeatureLayout.Spec s = layout.spec();
    int[] vocab = {
      s.market().values().size(), s.category().values().size(), s.brand().values().size()
    };
    return new NetworkShape(
        layout.width(), layout.sequenceIndex(), seq.weeks(), seq.channels(),
        statics.stream().mapToInt(Integer::intValue).toArray(), codes, vocab,
        layout.discountIndex(), layout.baseLevelIndex(), KNOTS.clone(), model, heads, layers,
        s.referenceElasticity(), layout.returnRatioIndex(), returnHead);
  }

  /**
   * The shape of a saved network: {@code layout} with the sizes {@link #describe()} recorded in
   * its hyperparameters.
   *
   * @throws IllegalArgumentException when a size is missing
   */
  public static NetworkShape of(FeatureLayout layout, Map<String, String> hyperparameters) {
    int[] sizes = new int[3];
    String[] keys = {"transformer_width", "transformer_heads", "transformer_layers"};
    for (int i = 0; i < keys.length; i++) {
      String v = hyperparameters.get(keys[i]);
      if (v == null) {
        throw new IllegalArgumentException(
            "Cannot read the transformer: its provenance has no %s".formatted(keys[i]));
      }
      sizes[i] = Integer.parseInt(v);
    }
    // networks saved before the return-rate output have no outputs entry: demand only
    return of(layout, sizes[0], sizes[1], sizes[2],
        BOTH_OUTPUTS.equals(hyperparameters.get("transformer_outputs")));
  }

  /** Inputs of the static head per row: each static column's value and whether it is missing. */
  public int staticWidth() {
    return 2 * staticColumns.length;
  }

  /** Segments of the discount response. */
  public int segments() {
    return knots.length;
  }

  /**
   * Every parameter's shape, in a fixed order (the order {@link Weights} stores them in and
   * {@link Network} reads them in).
   */
  public Map<String, int[]> parameters() {
    Map<String, int[]> p = new LinkedHashMap<>();
    int d = model;
    p.put("in.w", new int[] {channels, d});
    p.put("in.b", new int[] {d});
    p.put("position", new int[] {weeks, d});
    for (int l = 0; l < layers; l++) {
      String n = "layer" + l + ".";
      for (String m : List.of("q", "k", "v", "o")) {
        p.put(n + m + ".w", new int[] {d, d});
        p.put(n + m + ".b", new int[] {d});
      }
      p.put(n + "norm1.g", new int[] {d});
      p.put(n + "norm1.b", new int[] {d});
      p.put(n + "ff1.w", new int[] {d, 2 * d});
      p.put(n + "ff1.b", new int[] {2 * d});
      p.put(n + "ff2.w", new int[] {2 * d, d});
      p.put(n + "ff2.b", new int[] {d});
      p.put(n + "norm2.g", new int[] {d});
      p.put(n + "norm2.b", new int[] {d});
    }
    p.put("static.w", new int[] {staticWidth(), d});
    p.put("static.b", new int[] {d});
    for (int c = 0; c < codeColumns.length; c++) {
      p.put("embed" + c, new int[] {vocabularies[c] + 1, d});
    }
    p.put("joint.w", new int[] {2 * d, d});
    p.put("joint.b", new int[] {d});
    p.put("base.w", new int[] {d, 1});
    p.put("base.b", new int[] {1});
    p.put("scale.w", new int[] {d, 1});
    p.put("scale.b", new int[] {1});
    p.put("slopes", new int[] {knots.length});
    if (returnHead) {
      p.put("return.w", new int[] {d, 1});
      p.put("return.b", new int[] {1});
      p.put("return.slopes", new int[] {knots.length});
    }
    return p;
  }

  /** The architecture in words, for the provenance. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("architecture",
        "self-attention encoder over %d weeks x %d channels (%d layers, %d heads, width %d), static head over %d columns with embeddings of market, category and brand, base log-demand relative to the base level, discount response sigma * PL(discount), sigma = softplus, PL piecewise linear with softplus slopes over knots %s"
            .formatted(weeks, channels, layers, heads, model, staticColumns.length,
                java.util.Arrays.toString(knots))
            + (returnHead
                ? "; return-rate output from the same joint layer: logit = logit(the article's own return ratio) + joint * w + b + PL(discount) with free slopes over the same knots"
                : ""));
    m.put("transformer_outputs", returnHead ? BOTH_OUTPUTS : "demand");
    m.put("transformer_weeks", Integer.toString(weeks));
    m.put("transformer_width", Integer.toString(model));
    m.put("transformer_heads", Integer.toString(heads));
    m.put("transformer_layers", Integer.toString(layers));
    return m;
  }
}
