package io.pricepath.forecast.model;

import io.pricepath.features.FeatureLayout;
import java.util.List;

/**
 * A model saved with another feature layout than today's (features added since, or reordered):
 * it reads today's vector and hands the model the features it was trained on, by name, in its
 * own order. So models saved by older versions keep loading and predicting the same.
 */
final class RemappedModel implements TargetModel {
  private static final long serialVersionUID = 1L;

  private final TargetModel model;
  private final int[] columns;
  private final int width;

  private RemappedModel(TargetModel model, int[] columns, int width) {
    this.model = model;
    this.columns = columns;
    this.width = width;
  }

  /**
   * {@code model} reading {@code layout}'s vector (its article block for article-level targets):
   * itself when it was saved with that layout.
   *
   * @throws IllegalArgumentException naming a feature the model reads that the layout lacks
   */
  static TargetModel to(FeatureLayout layout, TargetModel model) {
    List<String> names =
        model.target().articleLevel()
            ? layout.names().subList(0, layout.articleWidth())
            : layout.names();
    List<String> own = model.provenance().features();
    if (own.equals(names) || own.size() != model.featureCount()) {
      return model;
    }
    int[] columns = new int[own.size()];
    for (int j = 0; j < columns.length; j++) {
      columns[j] = names.indexOf(own.get(j));
      if (columns[j] < 0) {
        throw new IllegalArgumentException(
            "Cannot load the %s model %s: it reads the feature %s, which this version of pricepath no longer computes (retrain the models)"
                .formatted(model.target().column(), model.version(), own.get(j)));
      }
    }
    return new RemappedModel(model, columns, names.size());
  }

  /** The model as it was trained (what a model folder stores). */
  TargetModel inner() {
    return model;
  }

  @Override
  public Target target() {
    return model.target();
  }

  @Override
  public String version() {
    return model.version();
  }

  @Override
  public int featureCount() {
    return width;
  }

  @Override
  public Provenance provenance() {
    return model.provenance();
  }

  @Override
  public void predict(float[] features, int rows, int cols, double[] out) {
    ConstantModel.checkShape(this, features, rows, cols, out);
    model.predict(own(features, rows, cols), rows, columns.length, out);
  }

  @Override
  public void predictLevels(
      float[] features, int rows, int cols, int levels, int[] decisionColumns, double[] out) {
    ConstantModel.checkShape(this, features, rows, cols, out);
    model.predictLevels(
        own(features, rows, cols), rows, columns.length, levels, own(decisionColumns), out);
  }

  @Override
  public boolean levelsShareTrees(int[] decisionColumns) {
    return model.levelsShareTrees(own(decisionColumns));
  }

  /** Columns of today's vector in the model's own order (-1 where it does not read them). */
  private int[] own(int[] todays) {
    int[] own = new int[todays.length];
    for (int d = 0; d < own.length; d++) {
      own[d] = -1;
      for (int j = 0; j < columns.length; j++) {
        if (columns[j] == todays[d]) {
          own[d] = j;
        }
      }
    }
    return own;
  }

  /** The rows of today's vector as the model's own. */
  private float[] own(float[] features, int rows, int cols) {
    int n = columns.length;
    float[] own = new float[rows * n];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < n; j++) {
        own[i * n + j] = features[i * cols + columns[j]];
      }
    }
    return own;
  }

  @Override
  public void close() {
    model.close();
  }
}
