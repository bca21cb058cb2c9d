package io.pricepath.jobs.weekly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pricepath.contract.ContractTables;
import io.pricepath.contract.Weeks;
import io.pricepath.forecast.Forecast;
import io.pricepath.forecast.ForecastSettings;
import io.pricepath.forecast.backtest.Backtest;
import io.pricepath.forecast.backtest.BacktestResult;
import io.pricepath.forecast.backtest.BacktestSettings;
import io.pricepath.forecast.model.ModelSet;
import io.pricepath.forecast.registry.ApprovalRule;
import io.pricepath.forecast.registry.BacktestMetrics;
import io.pricepath.forecast.registry.ModelRegistry;
import io.pricepath.forecast.registry.RegistryEntry;
import io.pricepath.forecast.train.SharedSamples;
import io.pricepath.jobs.config.RunConfig;
import io.pricepath.jobs.steps.Manifest;
import io.pricepath.jobs.steps.Progress;
import io.pricepath.jobs.steps.RunLock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The weekly run's models: whether to retrain, training a candidate, its backtest, registration and
 * the approval gate, and which approved set serves the forecast.
 */
final class ModelStage {
  static final String BACKTEST = "backtest";

  private ModelStage() {}

  /** The registry of this run: configured, or {@code registry} beside the run folder. */
  static String registryUri(RunConfig config, String out) {
    if (config.models().registryUri() != null) {
      return config.models().registryUri();
    }
    Path parent = new Path(out).getParent();
    return new Path(parent == null ? new Path(out) : parent, "registry").toString();
  }

  static Optional<RegistryEntry> approved(String uri, Configuration hadoop) {
    try (ModelRegistry registry = ModelRegistry.open(uri, hadoop)) {
      return registry.approved();
    }
  }

  /**
   * Why models must be trained for {@code planWeek}, or null when the approved ones may serve:
   * the schedule, or an approved set that this build cannot read (trained by a pricepath whose
   * features differ).
   */
  static String retrainReason(
      RunConfig config, LocalDate planWeek, Optional<RegistryEntry> approved, String registryUri,
      Configuration hadoop) {
    String reason = retrainReason(config, planWeek, approved);
    if (reason != null) {
      return reason;
    }
    String unreadable = unreadable(registryUri, hadoop, approved.get());
    return unreadable == null
        ? null
        : "the approved set %s %s: a new set is trained".formatted(approved.get().shortVersion(), unreadable);
  }

  /**
   * Why this build of pricepath cannot read {@code entry}'s models (trained by a pricepath whose features
   * differ, or altered), or null when it can.
   */
  static String unreadable(String registryUri, Configuration hadoop, RegistryEntry entry) {
    String dir;
    try (ModelRegistry registry = ModelRegistry.open(registryUri, hadoop)) {
      dir = registry.modelDir(entry.version());
    }
    try (ModelSet ignored = ModelSet.load(dir, hadoop)) {
      return null;
    } catch (IllegalArgumentException | IllegalStateException e) {
      return "cannot serve this build of pricepath (%s)".formatted(e.getMessage());
    } catch (Exception e) {
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  /** Why the schedule asks for models trained for {@code planWeek}, or null when it does not. */
  static String retrainReason(RunConfig config, LocalDate planWeek, Optional<RegistryEntry> approved) {
    if (config.models().forceRetrain()) {
      return "retrain.force is set";
    }
    if (approved.isEmpty()) {
      return "no approved model set in the registry yet";
    }
    LocalDate trainedFor = LocalDate.parse(approved.get().planWeek());
    int age = Weeks.between(trainedFor, planWeek);
    if (age >= config.models().retrainEveryWeeks()) {
      return "the approved set %s was trained for %s, %d weeks ago (retrain.every-weeks = %d)".formatted(
          approved.get().shortVersion(), trainedFor, age, config.models().retrainEveryWeeks());
    }
    if (age < 0) {
      return "the approved set %s was trained for a later plan week (%s)".formatted(
          approved.get().shortVersion(), trainedFor);
    }
    return null;
  }

  /** Trains a candidate set for {@code planWeek}, backtests it, registers it and lets the gate decide. */
  static JsonNode trainAndGate(SparkSession spark, ContractTables tables, LocalDate planWeek, RunConfig config,
      String modelDir, String backtestDir, String registryUri, String due, Progress progress) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    // one training per registry at a time: a second is refused at once, naming the first
    Path registry = new Path(registryUri);
    try {
      FileSystem fs = registry.getFileSystem(hadoop);
      fs.mkdirs(registry);
      try (RunLock lock = RunLock.acquire(fs, registry, "a training for " + planWeek,
          java.time.Duration.ofSeconds(config.lockLeaseSeconds()), progress::line)) {
        return trainAndGateLocked(spark, tables, planWeek, config, modelDir, backtestDir, registryUri, due,
            progress);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode trainAndGateLocked(SparkSession spark, ContractTables tables, LocalDate planWeek,
      RunConfig config, String modelDir, String backtestDir, String registryUri, String due, Progress progress) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    ForecastSettings settings = Stages.settings(config, spark.sparkContext().defaultParallelism());
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("due", due);
    RunConfig.ModelConfig m = config.models();
    LocalDate to = planWeek.minusWeeks(m.backtestHorizon());
    LocalDate from = to.minusWeeks((long) (m.backtestOrigins() - 1) * m.backtestEvery());
    BacktestSettings backtestSettings =
        new BacktestSettings(from, to, m.backtestEvery(), m.backtestHorizon(), settings);
    // The candidate and the backtest's origins train on samples of mostly the same origins:
    // built once, for all of them.
    SortedSet<LocalDate> origins = new TreeSet<>(SharedSamples.trainingOrigins(planWeek, settings));
    origins.addAll(Backtest.samplesNeeded(backtestSettings));
    BacktestResult backtest;
    try (var log = io.pricepath.forecast.TrainingLog.to(line -> progress.line("    " + line));
        SharedSamples samples = SharedSamples.of(
        tables, origins, planWeek, Math.max(settings.horizon(), m.backtestHorizon()))) {
      try (ModelSet models = Forecast.train(spark, samples, planWeek, settings, modelDir)) {
        Stages.describe(models, result, progress);
      } catch (Exception e) {
        throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
      }
      progress.line("    backtest of the candidate: origins %s … %s every %d weeks, %d weeks ahead".formatted(
          from, to, m.backtestEvery(), m.backtestHorizon()));
      backtest = Backtest.run(spark, tables, backtestSettings, backtestDir,
          new Path(registryUri, "backtest-cache").toString(), samples);
    }
    for (String line : backtest.render().split("\n")) {
      progress.line("    " + line);
    }
    Map<String, Double> metrics = BacktestMetrics.read(new Path(backtestDir, Backtest.METRICS).toString(), hadoop);

    try (ModelRegistry registry = ModelRegistry.open(registryUri, hadoop)) {
      RegistryEntry entry = registry.register(modelDir, metrics, "trained by the weekly run for " + planWeek);
      entry = registry.gate(entry.version(), new ApprovalRule(m.tolerance(), m.baselines()));
      progress.line("    candidate %s: %s — %s".formatted(entry.shortVersion(), entry.status().label(),
          entry.reason()));
      ObjectNode candidate = result.putObject("candidate");
      candidate.put("version", entry.version());
      candidate.put("status", entry.status().label());
      candidate.put("reason", entry.reason());
      candidate.set("backtest", Manifest.json().valueToTree(metrics));
    }
    return result;
  }

  /** The manifest's {@code models} entry: what serves, and what this run trained and decided. */
  static ObjectNode describeServing(RegistryEntry serving, String registryUri, JsonNode train) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("registry", registryUri);
    ObjectNode s = node.putObject("serving");
    s.put("version", serving.version());
    s.put("plan_week", serving.planWeek());
    s.put("status", serving.status().label());
    s.put("reason", serving.reason());
    s.set("targets", Manifest.json().valueToTree(serving.targetVersions()));
    s.set("backtest", Manifest.json().valueToTree(serving.metrics()));
    if (train.has("candidate")) {
      node.set("candidate", train.get("candidate"));
    }
    if (train.has("skipped")) {
      node.put("training", "skipped: " + train.get("skipped").asText());
    } else if (train.has("due")) {
      node.put("training", "ran: " + train.get("due").asText());
    }
    return node;
  }
}
