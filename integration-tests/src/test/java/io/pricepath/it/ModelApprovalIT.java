package io.pricepath.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricepath.contract.SparkSessions;
import io.pricepath.forecast.registry.ModelRegistry;
import io.pricepath.forecast.registry.RegistryEntry;
import io.pricepath.jobs.config.ConfigLoader;
import io.pricepath.jobs.weekly.RunSummary;
import io.pricepath.jobs.weekly.WeeklyRun;
import io.pricepath.simulate.MarketSimulator;
import io.pricepath.simulate.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The approval gate in the weekly run: a good model set is approved and serves; a deliberately
 * degraded one (a single shallow tree with a tiny learning rate: a near-constant forecast) is
 * rejected with its reason, and the previous approved set keeps serving.
 */
class ModelApprovalIT {
  @TempDir static Path dir;
  static SparkSession spark;
  static String data;

  @BeforeAll
  static void generate() {
    spark = SparkSessions.local("model-approval-it", 2, 4);
    data = dir.resolve("data").toString();
    MarketSimulator.generate(spark, SimulatorConfig.of(160, 2, 70, 13), data);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** A weekly run stopped after {@code stopAfter}: the gate decides in train; forecast shows what serves. */
  static RunSummary run(String out, String stopAfter, String... extra) throws Exception {
    // The first set is approved without a baseline test (this small market is about the gate, not
    // about beating baselines); the degraded one must then lose against it.
    List<String> overrides = new ArrayList<>(List.of("plan.horizon=6", "forecast.rounds=60", "approval.baselines=[]",
        "approval.backtest-origins=1", "forecast.training-weeks=40", "spark.shuffle-partitions=4", "optimizer.max-iterations=5"));
    overrides.addAll(List.of(extra));
    var merged = ConfigLoader.merged(null, overrides);
    var request = new WeeklyRun.Request(data, out, ConfigLoader.toRunConfig(merged), ConfigLoader.toJson(merged),
        stopAfter);
    try (PrintStream ps = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
      return WeeklyRun.run(spark, request, ps);
    }
  }

  static JsonNode manifest(String out) throws Exception {
    return new ObjectMapper().readTree(Files.readString(Path.of(out, "manifest.json")));
  }

  @Test
  void aDegradedModelIsRejectedAndThePreviousApprovedSetKeepsServing() throws Exception {
    String good = dir.resolve("runs/good").toString();
    run(good, "train");
    JsonNode first = manifest(good).path("models");
    assertThat(first.path("candidate").path("status").asText()).as(first.toString()).isEqualTo("approved");
    String approvedVersion = first.path("serving").path("version").asText();
    assertThat(first.path("candidate").path("version").asText()).isEqualTo(approvedVersion);

    String degraded = dir.resolve("runs/degraded").toString();
    run(degraded, "forecast", "retrain.force=true", "forecast.rounds=1", "forecast.max-depth=1", "forecast.eta=0.01");
    JsonNode second = manifest(degraded).path("models");
    JsonNode candidate = second.path("candidate");
    assertThat(candidate.path("status").asText()).as(second.toString()).isEqualTo("rejected");
    assertThat(candidate.path("version").asText()).isNotEqualTo(approvedVersion);
    assertThat(candidate.path("reason").asText()).startsWith("demand WAPE ")
        .contains("is worse than the approved version " + approvedVersion.substring(0, 8));
    assertThat(second.path("serving").path("version").asText()).isEqualTo(approvedVersion);
    assertThat(spark.read().parquet(degraded + "/forecasts").select("model_version").distinct().collectAsList())
        .extracting(r -> r.getString(0)).containsExactly(approvedVersion);

    try (ModelRegistry registry = ModelRegistry.open(dir.resolve("runs/registry").toString(), new Configuration())) {
      assertThat(registry.list()).extracting(RegistryEntry::version)
          .containsExactlyInAnyOrder(approvedVersion, candidate.path("version").asText());
      assertThat(registry.approved()).map(RegistryEntry::version).contains(approvedVersion);
      // a person overrides the gate: the rejected set serves the next run
      registry.approve(candidate.path("version").asText(), "testing the override");
    }
    String overridden = dir.resolve("runs/overridden").toString();
    run(overridden, "forecast");
    JsonNode third = manifest(overridden).path("models");
    assertThat(third.path("serving").path("version").asText()).isEqualTo(candidate.path("version").asText());
    assertThat(third.path("training").asText()).startsWith("skipped");

    // an upgrade of pricepath whose features differ cannot read the serving set: the run trains anew
    String serving = third.path("serving").path("version").asText();
    Path provenance;
    try (ModelRegistry registry = ModelRegistry.open(dir.resolve("runs/registry").toString(), new Configuration())) {
      provenance = Path.of(new org.apache.hadoop.fs.Path(registry.modelDir(serving)).toUri().getPath())
          .resolve("demand/provenance.json");
    }
    ObjectMapper json = new ObjectMapper();
    var saved = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(Files.readString(provenance));
    saved.put("featureCount", saved.path("featureCount").asInt() - 1);
    Files.writeString(provenance, json.writeValueAsString(saved));
    String upgraded = dir.resolve("runs/upgraded").toString();
    run(upgraded, "train", "forecast.rounds=50");
    JsonNode fourth = manifest(upgraded).path("models");
    assertThat(fourth.path("training").asText()).as(fourth.toString())
        .startsWith("ran: the approved set " + serving.substring(0, 8) + " cannot serve this build")
        .contains("features");
    assertThat(fourth.path("candidate").path("status").asText()).isEqualTo("approved");
    assertThat(fourth.path("serving").path("version").asText())
        .isEqualTo(fourth.path("candidate").path("version").asText());
  }
}
