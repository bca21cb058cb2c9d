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
 * <p>A booster trained with a base margin read from one feature (the hyperparameter {@value
 * TargetModel#BASE_MARGIN_FEATURE} of its provenance: that feature's index, whose log base level {@code
 * log(1 + value)}, 0 when missing, was each row's base margin) predicts {@code booster output ·
 * (1 + value)}: the same margin at prediction time as in training (count objectives). A booster
 * whose provenance carries a {@link DiscountResponse} multiplies that by {@code exp(its log
 * factor)}, the rest of its training margin. A logistic booster whose provenance carries a {@link
 * ReturnResponse} predicts {@code sigmoid(logit(output) + its margin)}.
 */
final class BoosterModel implements TargetModel {
  private static final long serialVersionUID = 1L;

  private final Target target;
  private final byte[] bytes;
  private final int featureCount;
  private final Provenance provenance;
  private final String version;
  private final int baseMarginFeature;
  private final DiscountResponse response;
  private final SeasonTerm season;
  private final LevelTerm blend;
  private final ReturnResponse returnResponse;
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
    String margin = provenance.hyperparameters().get(BASE_MARGIN_FEATURE);
    this.baseMarginFeature = margin == null ? -1 : Integer.parseInt(margin.trim());
    if (baseMarginFeature >= featureCount) {
      throw new IllegalArgumentException(
          "Cannot build the %s model: base margin feature %d is outside its %d features"
              .formatted(target.column(), baseMarginFeature, featureCount));
    }
    this.response = DiscountResponse.of(provenance.hyperparameters(), featureCount);
    this.season = SeasonTerm.of(provenance.hyperparameters(), featureCount);
    this.blend = LevelTerm.of(provenance.hyperparameters(), featureCount);
    this.returnResponse = ReturnResponse.of(provenance.hyperparameters(), featureCount);
    this.version = Hashing.version(target, this.bytes, provenance);
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
      out[i] = predictions[i][0];
      if (baseMarginFeature >= 0) {
        float base = data[i * cols + baseMarginFeature];
        out[i] *= Float.isNaN(base) || base < 0 ? 1.0 : 1.0 + base;
      }
      if (returnResponse != null) {
        double o = Math.max(1e-7, Math.min(1 - 1e-7, out[i]));
        double z = Math.log(o / (1 - o)) + returnResponse.margin(data, i * cols);
        out[i] = 1 / (1 + Math.exp(-z));
      }
      if (response != null) {
        out[i] *= Math.exp(response.logFactor(data, i * cols));
      }
      if (season != null) {
        out[i] *= Math.exp(season.logFactor(data, i * cols));
      }
      if (blend != null) {
        out[i] *= Math.exp(blend.logFactor(data, i * cols));
      }
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
