package io.pricepath.forecast.model;

import java.io.IOException;
import java.util.Objects;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * An XGBoost booster shipped as bytes; the native booster is built lazily (one thread) in the JVM
 * that predicts, once per deserialized instance.
 *
 * <p>A booster trained on top of base margins carries their {@link MarginTerms} in its provenance
 * hyperparameters: it predicts {@code inverse link(link(booster output) + Σ terms)}, the link of
 * its objective (log for count objectives, logit for logistic ones, identity otherwise), the same
 * margin at prediction time as in training.
 */
final class BoosterModel implements TargetModel {
  private static final long serialVersionUID = 2L;

  private final Target target;
  private final byte[] bytes;
  private final int featureCount;
  private final Provenance provenance;
  private final String version;
  private final MarginTerms terms;
  private final Link link;
  private transient Booster booster;
  private transient java.util.BitSet splitColumns;

  BoosterModel(Target target, byte[] bytes, int featureCount, Provenance provenance) {
    this.target = Objects.requireNonNull(target, "target");
    this.bytes = Objects.requireNonNull(bytes, "bytes").clone();
    this.provenance = Objects.requireNonNull(provenance, "provenance");
    if (featureCount < 1) {
      throw new IllegalArgumentException(
          "Cannot build the %s model: feature count (%d) must be >= 1"
              .formatted(target.column(), featureCount));
    }
    this.featureCount = featureCount;
    try {
      this.terms = MarginTerms.read(provenance.hyperparameters(), featureCount);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot build the %s model: %s".formatted(target.column(), e.getMessage()), e);
    }
    this.link = Link.of(provenance.objective());
    this.version = Hashing.version(target, this.bytes, provenance);
  }

  /** The margin terms it adds to its booster's output. */
  MarginTerms terms() {
    return terms;
  }

  byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public int featureCount() {
    return featureCount;
  }

  @Override
  public Provenance provenance() {
    return provenance;
  }

  private synchronized Booster booster() {
    if (booster == null) {
      try {
        Booster b = XGBoost.loadModel(bytes);
        b.setParam("nthread", 1);
        booster = b;
      } catch (XGBoostError | IOException e) {
        throw new IllegalStateException(
            "Cannot load the %s model %s: the booster bytes do not load (%s)"
                .formatted(target.column(), version, e.getMessage()),
            e);
      }
    }
    return booster;
  }

  @Override
  public void predict(float[] features, int rows, int cols, double[] out) {
    ConstantModel.checkShape(this, features, rows, cols, out);
    if (rows == 0) {
      return;
    }
    float[] data = features.length == (long) rows * cols ? features : slice(features, rows * cols);
    float[][] predictions = trees(data, rows, cols);
    for (int i = 0; i < rows; i++) {
      out[i] =
          terms.isEmpty()
              ? predictions[i][0]
              : link.apply(predictions[i][0], terms.margin(data, i * cols));
    }
  }

  @Override
  public void predictLevels(
      float[] features, int rows, int cols, int levels, int[] decisionColumns, double[] out) {
    if (levels < 1 || rows % levels != 0) {
      TargetModel.super.predictLevels(features, rows, cols, levels, decisionColumns, out);
      return;
    }
    ConstantModel.checkShape(this, features, rows, cols, out);
    if (rows == 0 || levels == 1 || !levelsShareTrees(decisionColumns)) {
      predict(features, rows, cols, out);
      return;
    }
    int runs = rows / levels;
    float[] firsts = new float[runs * cols];
    for (int r = 0; r < runs; r++) {
      System.arraycopy(features, r * levels * cols, firsts, r * cols, cols);
    }
    float[][] trees = trees(firsts, runs, cols);
    for (int i = 0; i < rows; i++) {
      double b = trees[i / levels][0];
      out[i] = terms.isEmpty() ? b : link.apply(b, terms.margin(features, i * cols));
    }
  }

  @Override
  public boolean levelsShareTrees(int[] decisionColumns) {
    return !splitsOnAny(decisionColumns);
  }

  /** The booster's output for {@code rows} rows of {@code data}. */
  private float[][] trees(float[] data, int rows, int cols) {
    try {
      return booster().inplace_predict(data, rows, cols, Float.NaN);
    } catch (XGBoostError e) {
      throw new IllegalStateException(
          "Cannot predict with the %s model %s: %s".formatted(target.column(), version, e.getMessage()),
          e);
    }
  }

  /** Whether any tree of the booster splits on one of {@code columns}. */
  private synchronized boolean splitsOnAny(int[] columns) {
    if (splitColumns == null) {
      java.util.BitSet used = new java.util.BitSet(featureCount);
      try {
        // named "f<column>" here: one key per column some split reads
        String[] names = new String[featureCount];
        for (int c = 0; c < featureCount; c++) {
          names[c] = "f" + c;
        }
        for (String name : booster().getFeatureScore(names).keySet()) {
          used.set(Integer.parseInt(name.substring(1)));
        }
      } catch (XGBoostError | NumberFormatException e) {
        used.set(0, featureCount);
      }
      splitColumns = used;
    }
    for (int c : columns) {
      if (c >= 0 && splitColumns.get(c)) {
        return true;
      }
    }
    return false;
  }

  private static float[] slice(float[] features, int n) {
    float[] d = new float[n];
    System.arraycopy(features, 0, d, 0, n);
    return d;
  }

  @Override
  public synchronized void close() {
    if (booster != null) {
      booster.dispose();
      booster = null;
    }
  }
}
