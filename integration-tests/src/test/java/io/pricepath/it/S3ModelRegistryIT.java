package io.pricepath.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricepath.features.FeatureLayout;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.model.Provenance;
import io.pricepath.forecast.model.Target;
import io.pricepath.forecast.model.TargetModel;
import io.pricepath.forecast.registry.ModelRegistry;
import io.pricepath.forecast.registry.RegistryEntry;
import io.pricepath.forecast.registry.RegistryEntry.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model registry in an {@code s3a://} bucket of a real S3 server (s3proxy): registering from a
 * local folder and from the bucket itself, deciding, listing and loading, through the registry's
 * public API, with a fresh registry object reading what another wrote.
 */
class S3ModelRegistryIT {
  static final String BUCKET = "models";
  static final String REGISTRY = "s3a://" + BUCKET + "/registry";

  @TempDir static Path dir;
  static S3Proxy s3;
  static Configuration hadoop;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Proxy.start(dir, BUCKET);
    hadoop = s3.hadoop();
  }

  @AfterAll
  static void stop() throws Exception {
    FileSystem.closeAll();
    if (s3 != null) {
      s3.close();
    }
  }

  /** Five constant models (the registry stores any model set); {@code demand} makes its version. */
  static ModelSet set(double demand) {
    FeatureLayout layout = new FeatureLayout(new FeatureLayout.Spec(
        new FeatureLayout.Vocabulary("market", List.of("DE", "FR")),
        new FeatureLayout.Vocabulary("category", List.of("shirts")),
        new FeatureLayout.Vocabulary("brand", List.of()), List.of(), List.of(), List.of()));
    List<TargetModel> models = new ArrayList<>();
    for (Target t : Target.values()) {
      int width = t.articleLevel() ? layout.articleWidth() : layout.width();
      Provenance p = new Provenance(t.column(), "constant", "2025-01-06", "2024-01-29", "2024-12-30",
          layout.names().subList(0, width), layout.spec(), "mean of the training labels", Map.of(), 42L,
          Map.of("java", "17"), "rows=120;hash=" + t.ordinal(), 120, Map.of("holdout_wape", 0.5), List.of());
      models.add(TargetModel.constant(t, t == Target.DEMAND ? demand : 1 + t.ordinal(), width, p));
    }
    return ModelSet.of(layout, models);
  }

  static Map<String, Double> metrics(double wape) {
    return Map.of("wape", wape, "bias", -0.01, "n", 1200.0, "wape_recent_mean", 0.7,
        "wape_loglog_elasticity", 0.65);
  }

  @Test
  void registersDecidesListsAndLoadsModelSetsInABucket() throws Exception {
    ModelSet first = set(3.0);
    ModelSet second = set(4.0);
    String local = dir.resolve("first").toString();
    first.save(local, new Configuration());
    String inBucket = "s3a://" + BUCKET + "/trained/second";
    second.save(inBucket, hadoop);

    try (ModelRegistry registry = ModelRegistry.open(REGISTRY, hadoop)) {
      RegistryEntry a = registry.register(local, metrics(0.55), "from a local folder");
      RegistryEntry b = registry.register(inBucket, metrics(0.60), "from the bucket");
      assertThat(a.version()).isEqualTo(first.version());
      assertThat(b.version()).isEqualTo(second.version());
      assertThat(a.status()).isEqualTo(Status.PENDING);
      // registering the same set again changes nothing
      assertThat(registry.register(local, metrics(0.99), "again").note()).isEqualTo("from a local folder");

      registry.approve(a.version(), "first set");
      registry.reject(b.version(), "worse than the first");
      assertThat(registry.approved()).map(RegistryEntry::version).contains(a.version());
      // a person overrides: the rejected set serves, the status file is replaced in the bucket
      registry.approve(b.version(), "needed for the new season");
    }

    try (ModelRegistry reopened = ModelRegistry.open(REGISTRY, hadoop)) {
      assertThat(reopened.list()).extracting(RegistryEntry::version)
          .containsExactly(second.version(), first.version());
      RegistryEntry serving = reopened.approved().orElseThrow();
      assertThat(serving.version()).isEqualTo(second.version());
      assertThat(serving.reason()).isEqualTo("needed for the new season");
      assertThat(reopened.show(first.version().substring(0, 8)).status()).isEqualTo(Status.APPROVED);
      assertThat(reopened.render()).contains(second.version().substring(0, 8));

      String modelDir = reopened.modelDir(serving.version());
      assertThat(modelDir).startsWith(REGISTRY + "/");
      try (ModelSet loaded = ModelSet.load(modelDir, hadoop)) {
        assertThat(loaded.version()).isEqualTo(second.version());
        double[] out = new double[1];
        TargetModel demand = loaded.get(Target.DEMAND);
        int width = loaded.get(Target.DEMAND).provenance().features().size();
        demand.predict(new float[width], 1, width, out);
        assertThat(out[0]).isEqualTo(4.0);
      }
      assertThatThrownBy(() -> reopened.show("ffffffffffff"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Cannot");
    }
    // nothing half-copied is left behind
    FileSystem fs = FileSystem.get(java.net.URI.create(REGISTRY), hadoop);
    assertThat(fs.exists(new org.apache.hadoop.fs.Path(REGISTRY + "/_staging"))).isFalse();
  }
}
