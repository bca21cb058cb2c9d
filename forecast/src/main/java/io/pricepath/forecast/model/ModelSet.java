package io.pricepath.forecast.model;

import io.pricepath.features.FeatureLayout;
import java.io.Serializable;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;

/**
 * The five target models of one training run and the feature layout they read. Serializable (the
 * forecast grid ships it to the executors); its {@link #version()} is a hash of the five model
 * versions, written to every grid row as {@code model_version}.
 */
public final class ModelSet implements Serializable, AutoCloseable {
  private static final long serialVersionUID = 1L;

  private final FeatureLayout layout;
  private final EnumMap<Target, TargetModel> models;
  private final String version;

  private ModelSet(FeatureLayout layout, EnumMap<Target, TargetModel> models) {
    this.layout = layout;
    this.models = models;
    MessageDigest d = Hashing.sha256();
    for (TargetModel m : models.values()) {
      Hashing.update(d, m.target().column() + "=" + m.version());
    }
    this.version = Hashing.hex(d);
  }

  /**
   * A set of one model per {@link Target}, each reading {@code layout}'s full vector (or its
   * article block, for article-level targets) — or some of its features, by name, as the trees of
   * the transformer family read the layout without its sequence block.
   *
   * @throws IllegalArgumentException when a target is missing, repeated or reads another width
   */
  public static ModelSet of(FeatureLayout layout, Collection<TargetModel> given) {
    Objects.requireNonNull(layout, "layout");
    EnumMap<Target, TargetModel> byTarget = new EnumMap<>(Target.class);
    for (TargetModel g : given) {
      TargetModel m = RemappedModel.to(layout, g);
      if (byTarget.put(m.target(), m) != null) {
        throw new IllegalArgumentException(
            "Cannot assemble models: two models for target %s".formatted(m.target().column()));
      }
      int width = m.target().articleLevel() ? layout.articleWidth() : layout.width();
      if (m.featureCount() != width) {
        throw new IllegalArgumentException(
            "Cannot assemble models: the %s model reads %d features, the layout has %d"
                .formatted(m.target().column(), m.featureCount(), width));
      }
    }
    for (Target t : Target.values()) {
      if (!byTarget.containsKey(t)) {
        throw new IllegalArgumentException(
            "Cannot assemble models: no model for target %s".formatted(t.column()));
      }
    }
    return new ModelSet(layout, byTarget);
  }

  /** The feature layout every model reads. */
  public FeatureLayout layout() {
    return layout;
  }

  /** The model of {@code target}. */
  public TargetModel get(Target target) {
    return models.get(target);
  }

  /** Models by target, in {@link Target} order. */
  public Map<Target, TargetModel> models() {
    return java.util.Collections.unmodifiableMap(models);
  }

  /** Hash of the five model versions. */
  public String version() {
    return version;
  }

  /**
   * Saves every model under {@code dir/<target>/}: {@code model.ubj} (booster bytes; absent for a
   * constant model) and {@code provenance.json}. {@code dir} is any Hadoop path ({@code file:},
   * {@code s3a:}, a local path).
   */
  public void save(String dir, Configuration hadoop) {
    ModelStore.save(this, dir, hadoop);
  }

  /** Loads a set that {@link #save} wrote; versions and predictions are those that were saved. */
  public static ModelSet load(String dir, Configuration hadoop) {
    return ModelStore.load(dir, hadoop);
  }

  /** Releases the native resources of every model. */
  @Override
  public void close() {
    models.values().forEach(TargetModel::close);
  }

  @Override
  public String toString() {
    return "ModelSet[" + version + "]";
  }
}
