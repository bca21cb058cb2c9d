package io.pricepath.forecast.model;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/** Predicts one value everywhere: the fallback for targets with too little data. */
final class ConstantModel implements TargetModel {
  private static final long serialVersionUID = 1L;

  private final Target target;
  private final double value;
  private final int featureCount;
  private final Provenance provenance;
  private final String version;

  ConstantModel(Target target, double value, int featureCount, Provenance provenance) {
    this.target = Objects.requireNonNull(target, "target");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "Cannot build the constant %s model: value must be finite (%s)"
              .formatted(target.column(), value));
    }
    this.value = value;
    this.featureCount = featureCount;
    this.provenance = Objects.requireNonNull(provenance, "provenance");
    this.version =
        Hashing.version(target, ByteBuffer.allocate(8).putDouble(value).array(), provenance);
  }

  double value() {
    return value;
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

  @Override
  public void predict(float[] features, int rows, int cols, double[] out) {
    checkShape(this, features, rows, cols, out);
    Arrays.fill(out, 0, rows, value);
  }

  static void checkShape(TargetModel m, float[] features, int rows, int cols, double[] out) {
    if (cols != m.featureCount()) {
      throw new IllegalArgumentException(
          "Cannot predict with the %s model: it reads %d feature columns, got %d"
              .formatted(m.target().column(), m.featureCount(), cols));
    }
    if (rows < 0 || features.length < (long) rows * cols || out.length < rows) {
      throw new IllegalArgumentException(
          "Cannot predict with the %s model: %d rows x %d columns do not fit the arrays (%d features, %d outputs)"
              .formatted(m.target().column(), rows, cols, features.length, out.length));
    }
  }
}
