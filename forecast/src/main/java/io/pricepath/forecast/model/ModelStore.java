package io.pricepath.forecast.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import io.pricepath.features.FeatureLayout;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads and writes model folders: {@code <dir>/<target>/{model.ubj | model.transformer,
 * provenance.json}} (a booster, or a transformer's weights; a constant has neither).
 */
final class ModelStore {
  private ModelStore() {}

  static final String BOOSTER_FILE = "model.ubj";
  static final String NETWORK_FILE = "model.transformer";
  static final String TRANSFORMER = "transformer";
  static final String PROVENANCE_FILE = "provenance.json";
  static final int FORMAT = 1;

  /**
   * What {@code provenance.json} holds.
   *
   * @param format file format version
   * @param modelVersion the model's content hash
   * @param featureCount columns the model reads
   * @param constant the value of a constant model, null for a booster
   * @param provenance the model's provenance
   */
  record SavedModel(
      int format, String modelVersion, int featureCount, Double constant, Provenance provenance) {}

  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * A private file system instance without checksum sidecars (no {@code .crc} files next to the
   * models); closing it leaves Spark's cached instances alone.
   */
  private static FileSystem open(Path root, Configuration hadoop) throws IOException {
    FileSystem fs = FileSystem.newInstance(root.toUri(), hadoop);
    fs.setWriteChecksum(false);
    fs.setVerifyChecksum(false);
    return fs;
  }

  static void save(ModelSet set, String dir, Configuration hadoop) {
    Path root = new Path(dir);
    try (FileSystem fs = open(root, hadoop)) {
      for (TargetModel given : set.models().values()) {
        TargetModel m = given instanceof RemappedModel r ? r.inner() : given;
        Path folder = new Path(root, m.target().column());
        fs.mkdirs(folder);
        Double constant = null;
        // a folder saved into again holds only this model's file
        if (m instanceof BoosterModel b) {
          fs.delete(new Path(folder, NETWORK_FILE), false);
          try (OutputStream out = fs.create(new Path(folder, BOOSTER_FILE), true)) {
            out.write(b.bytes());
          }
        } else if (m instanceof TransformerModel n) {
          fs.delete(new Path(folder, BOOSTER_FILE), false);
          try (OutputStream out = fs.create(new Path(folder, NETWORK_FILE), true)) {
            out.write(n.bytes());
          }
        } else if (m instanceof ConstantModel c) {
          constant = c.value();
          fs.delete(new Path(folder, BOOSTER_FILE), false);
          fs.delete(new Path(folder, NETWORK_FILE), false);
        } else {
          throw new IllegalArgumentException(
              "Cannot save the %s model: %s models have no saved form"
                  .formatted(m.target().column(), m.getClass().getSimpleName()));
        }
        try (OutputStream out = fs.create(new Path(folder, PROVENANCE_FILE), true)) {
          JSON.writeValue(
              out,
              new SavedModel(FORMAT, m.version(), m.featureCount(), constant, m.provenance()));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot save models to %s: %s".formatted(dir, e.getMessage()), e);
    }
  }

  static ModelSet load(String dir, Configuration hadoop) {
    Path root = new Path(dir);
    List<TargetModel> models = new ArrayList<>();
    FeatureLayout layout = null;
    try (FileSystem fs = open(root, hadoop)) {
      for (Target t : Target.values()) {
        Path folder = new Path(root, t.column());
        Path provenanceFile = new Path(folder, PROVENANCE_FILE);
        if (!fs.exists(provenanceFile)) {
          throw new IllegalArgumentException(
              "Cannot load models from %s: %s is missing (train the models into this folder first)"
                  .formatted(dir, provenanceFile));
        }
        SavedModel saved;
        try (InputStream in = fs.open(provenanceFile)) {
          saved = JSON.readValue(in, SavedModel.class);
        }
        if (saved.format() != FORMAT || saved.provenance() == null) {
          throw new IllegalArgumentException(
              "Cannot load models from %s: %s has format %d, this version reads %d"
                  .formatted(dir, provenanceFile, saved.format(), FORMAT));
        }
        TargetModel m;
        if (saved.constant() != null) {
          m = new ConstantModel(t, saved.constant(), saved.featureCount(), saved.provenance());
        } else if (TRANSFORMER.equals(saved.provenance().kind())) {
          byte[] bytes;
          try (InputStream in = fs.open(new Path(folder, NETWORK_FILE))) {
            bytes = in.readAllBytes();
          }
          FeatureLayout own = new FeatureLayout(saved.provenance().layout());
          m = new TransformerModel(t,
              io.pricepath.forecast.neural.ForecastNetwork.read(
                  io.pricepath.forecast.neural.NetworkShape.of(
                      own, saved.provenance().hyperparameters()),
                  bytes),
              saved.featureCount(), saved.provenance());
        } else {
          Path boosterFile = new Path(folder, BOOSTER_FILE);
          byte[] bytes;
          try (InputStream in = fs.open(boosterFile)) {
            bytes = in.readAllBytes();
          }
          m = new BoosterModel(t, bytes, saved.featureCount(), saved.provenance());
        }
        if (!m.version().equals(saved.modelVersion())) {
          throw new IllegalArgumentException(
              "Cannot load models from %s: the %s model hashes to %s, its provenance says %s (the folder was altered; retrain)"
                  .formatted(dir, t.column(), m.version(), saved.modelVersion()));
        }
        if (layout == null) {
          layout = new FeatureLayout(saved.provenance().layout());
        }
        models.add(RemappedModel.to(layout, m));
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot load models from %s: %s".formatted(dir, e.getMessage()), e);
    }
    return ModelSet.of(layout, models);
  }
}
