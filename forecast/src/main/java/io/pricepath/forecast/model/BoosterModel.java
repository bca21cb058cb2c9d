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
    float[][] predictions;
    try {
      predictions = booster().inplace_predict(data, rows, cols, Float.NaN);
    } catch (XGBoostError e) {
      throw new IllegalStateException(
          "Cannot predict with the %s model %s: %s".formatted(target.column(), version, e.getMessage()),
          e);
    }
    for (int i = 0; i < rows; i++) {
      out[i] =
          terms.isEmpty()
              ? predictions[i][0]
              : link.apply(predictions[i][0], terms.margin(data, i * cols));
    }
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
